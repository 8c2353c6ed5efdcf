/*
 * SDP bodies as real peers and the RFCs write them, byte for byte (CRLF line ends).
 * Captured ones name the software; RFC ones name the section they are copied from.
 */

/** baresip 1.0.0 (Debian bookworm), g711 module only: the body of the INVITE it sent to 127.0.0.1, captured off the socket. */
export const baresipOffer =
  'v=0\r\n' +
  'o=- 3720204497 1962267912 IN IP4 192.0.2.2\r\n' +
  's=-\r\n' +
  'c=IN IP4 192.0.2.2\r\n' +
  't=0 0\r\n' +
  'a=tool:baresip 1.0.0\r\n' +
  'm=audio 43528 RTP/AVP 0 8 101\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'a=rtpmap:8 PCMA/8000\r\n' +
  'a=rtpmap:101 telephone-event/8000\r\n' +
  'a=fmtp:101 0-15\r\n' +
  'a=sendrecv\r\n' +
  'a=label:1\r\n' +
  'a=rtcp-rsize\r\n' +
  'a=ssrc:2371586657 cname:sip:alice@127.0.0.1\r\n' +
  'a=minptime:20\r\n' +
  'a=ptime:20\r\n';

/** Written for these tests in the shape desk phones send: G.722 first, G.729 annexb=no, ptime, sendrecv among the rtpmaps. */
export const deskPhoneOffer =
  'v=0\r\n' +
  'o=- 4711 4711 IN IP4 192.0.2.40\r\n' +
  's=SDP data\r\n' +
  'c=IN IP4 192.0.2.40\r\n' +
  't=0 0\r\n' +
  'm=audio 12000 RTP/AVP 9 0 8 18 101\r\n' +
  'a=rtpmap:9 G722/8000\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'a=rtpmap:8 PCMA/8000\r\n' +
  'a=rtpmap:18 G729/8000\r\n' +
  'a=fmtp:18 annexb=no\r\n' +
  'a=ptime:20\r\n' +
  'a=sendrecv\r\n' +
  'a=rtpmap:101 telephone-event/8000\r\n' +
  'a=fmtp:101 0-15\r\n';

/** Chromium 156 (headless, Debian bookworm): RTCPeerConnection.createOffer() after addTransceiver('audio') and ICE gathering. */
export const chromiumOffer =
  'v=0\r\n' +
  'o=- 2194093430189703251 2 IN IP4 127.0.0.1\r\n' +
  's=-\r\n' +
  't=0 0\r\n' +
  'a=group:BUNDLE 0\r\n' +
  'a=extmap-allow-mixed\r\n' +
  'a=msid-semantic: WMS\r\n' +
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n' +
  'c=IN IP4 0.0.0.0\r\n' +
  'a=rtcp:9 IN IP4 0.0.0.0\r\n' +
  'a=candidate:1255960136 1 udp 2113937151 b8514537-be75-4ed6-b003-86ec81fa96e5.local 55517 typ host generation 0 network-cost 999\r\n' +
  'a=ice-ufrag:wzPS\r\n' +
  'a=ice-pwd:d3nNkO7KDq1ZdzfmU+iyG/fS\r\n' +
  'a=ice-options:trickle\r\n' +
  'a=fingerprint:sha-256 62:BA:B1:5D:64:19:12:8A:D7:AF:F8:E2:03:6E:21:92:33:10:55:13:B3:5D:F6:01:4A:31:13:09:A0:BD:79:1F\r\n' +
  'a=setup:actpass\r\n' +
  'a=mid:0\r\n' +
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n' +
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n' +
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n' +
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n' +
  'a=sendrecv\r\n' +
  'a=msid:- 2ee08a60-e060-4317-80d7-b69a34f1b9c8\r\n' +
  'a=rtcp-mux\r\n' +
  'a=rtcp-rsize\r\n' +
  'a=rtcp-xr:rcvr-rtt=all\r\n' +
  'a=rtpmap:111 opus/48000/2\r\n' +
  'a=rtcp-fb:111 transport-cc\r\n' +
  'a=fmtp:111 minptime=10;useinbandfec=1\r\n' +
  'a=rtpmap:63 red/48000/2\r\n' +
  'a=fmtp:63 111/111\r\n' +
  'a=rtpmap:9 G722/8000\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'a=rtpmap:8 PCMA/8000\r\n' +
  'a=rtpmap:13 CN/8000\r\n' +
  'a=rtpmap:110 telephone-event/48000\r\n' +
  'a=rtpmap:126 telephone-event/8000\r\n' +
  'a=ssrc:2814187653 cname:2jMaw/7SlVTjvoQP\r\n' +
  'a=ssrc:2814187653 msid:- 2ee08a60-e060-4317-80d7-b69a34f1b9c8\r\n';

/** RFC 3264 §10.1, Alice's offer (note "s=" empty and the odd order of the original). */
export const rfc3264BasicOffer =
  'v=0\r\n' +
  'o=alice 2890844526 2890844526 IN IP4 host.anywhere.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.anywhere.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49170 RTP/AVP 0\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'm=video 51372 RTP/AVP 31\r\n' +
  'a=rtpmap:31 H261/90000\r\n' +
  'm=video 53000 RTP/AVP 32\r\n' +
  'a=rtpmap:32 MPV/90000\r\n';

/** RFC 3264 §10.1, Bob's answer: first video stream rejected with port 0. */
export const rfc3264BasicAnswer =
  'v=0\r\n' +
  'o=bob 2890844730 2890844730 IN IP4 host.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.example.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49920 RTP/AVP 0\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'm=video 0 RTP/AVP 31\r\n' +
  'm=video 53000 RTP/AVP 32\r\n' +
  'a=rtpmap:32 MPV/90000\r\n';

/** RFC 3264 §10.1, Bob's re-offer: new audio port and a recvonly event stream (version +1). */
export const rfc3264SecondOffer =
  'v=0\r\n' +
  'o=bob 2890844730 2890844731 IN IP4 host.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.example.com\r\n' +
  't=0 0\r\n' +
  'm=audio 65422 RTP/AVP 0\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'm=video 0 RTP/AVP 31\r\n' +
  'm=video 53000 RTP/AVP 32\r\n' +
  'a=rtpmap:32 MPV/90000\r\n' +
  'm=audio 51434 RTP/AVP 110\r\n' +
  'a=rtpmap:110 telephone-events/8000\r\n' +
  'a=recvonly\r\n';

/** RFC 3264 §10.1, Alice's answer to the re-offer (sendonly for the recvonly stream). */
export const rfc3264SecondAnswer =
  'v=0\r\n' +
  'o=alice 2890844526 2890844527 IN IP4 host.anywhere.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.anywhere.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49170 RTP/AVP 0\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'm=video 0 RTP/AVP 31\r\n' +
  'a=rtpmap:31 H261/90000\r\n' +
  'm=video 53000 RTP/AVP 32\r\n' +
  'a=rtpmap:32 MPV/90000\r\n' +
  'm=audio 53122 RTP/AVP 110\r\n' +
  'a=rtpmap:110 telephone-events/8000\r\n' +
  'a=sendonly\r\n';

/** RFC 3264 §10.2, the inactive one-of-N codec offer. */
export const rfc3264InactiveOffer =
  'v=0\r\n' +
  'o=alice 2890844526 2890844526 IN IP4 host.anywhere.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.anywhere.com\r\n' +
  't=0 0\r\n' +
  'm=audio 62986 RTP/AVP 0 4 18\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'a=rtpmap:4 G723/8000\r\n' +
  'a=rtpmap:18 G729/8000\r\n' +
  'a=inactive\r\n';

/** RFC 4317 §2.1, offer with three audio and two video codecs. */
export const rfc4317AudioVideoOffer =
  'v=0\r\n' +
  'o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.atlanta.example.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49170 RTP/AVP 0 8 97\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'a=rtpmap:8 PCMA/8000\r\n' +
  'a=rtpmap:97 iLBC/8000\r\n' +
  'm=video 51372 RTP/AVP 31 32\r\n' +
  'a=rtpmap:31 H261/90000\r\n' +
  'a=rtpmap:32 MPV/90000\r\n';

/** RFC 4317 §2.1, answer: PCMU and MPV only. */
export const rfc4317AudioVideoAnswer =
  'v=0\r\n' +
  'o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.biloxi.example.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49174 RTP/AVP 0\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'm=video 49170 RTP/AVP 32\r\n' +
  'a=rtpmap:32 MPV/90000\r\n';

/** RFC 4317 §2.3, answer to §2.1's offer with iLBC renumbered 97 → 99. */
export const rfc4317RenumberedAnswer =
  'v=0\r\n' +
  'o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.biloxi.example.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49172 RTP/AVP 99\r\n' +
  'a=rtpmap:99 iLBC/8000\r\n' +
  'm=video 51374 RTP/AVP 31\r\n' +
  'a=rtpmap:31 H261/90000\r\n';

/** RFC 4317 §3.1, offer. */
export const rfc4317HoldOffer =
  'v=0\r\n' +
  'o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.atlanta.example.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49170 RTP/AVP 0 97\r\n' +
  'a=rtpmap:0 PCMU/8000\r\n' +
  'a=rtpmap:97 iLBC/8000\r\n';

/** RFC 4317 §3.1, answer placing Alice on hold (sendonly). */
export const rfc4317HoldAnswer =
  'v=0\r\n' +
  'o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 placeholder.biloxi.example.com\r\n' +
  't=0 0\r\n' +
  'm=audio 49172 RTP/AVP 97\r\n' +
  'a=rtpmap:97 iLBC/8000\r\n' +
  'a=sendonly\r\n';

/** RFC 4317 §5.2, offer with c=IN IP4 0.0.0.0 (the RFC 2543 hold form). */
export const rfc4317BlackHoleOffer =
  'v=0\r\n' +
  'o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 0.0.0.0\r\n' +
  't=0 0\r\n' +
  'm=audio 23442 RTP/AVP 97\r\n' +
  'a=rtpmap:97 iLBC/8000\r\n';

/** RFC 4317 §5.1, offer with no m= line. */
export const rfc4317NoMediaOffer =
  'v=0\r\n' +
  'o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n' +
  's=\r\n' +
  'c=IN IP4 host.atlanta.example.com\r\n' +
  't=0 0\r\n';

/** Every session-level line type once, in the order RFC 8866 §5 requires (modelled on its example, not a verbatim copy). */
export const rfc8866Example =
  'v=0\r\n' +
  'o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\n' +
  's=Call to John Smith\r\n' +
  'i=SDP Offer #1\r\n' +
  'u=http://www.jdoe.example.com/home.html\r\n' +
  'e=Jane Doe <jane@jdoe.example.com>\r\n' +
  'p=+1 617 555-6011\r\n' +
  'c=IN IP4 198.51.100.1\r\n' +
  't=0 0\r\n' +
  'm=audio 49170 RTP/AVP 0\r\n' +
  'm=audio 49180 RTP/AVP 0\r\n' +
  'm=video 51372 RTP/AVP 99\r\n' +
  'c=IN IP6 2001:db8::2\r\n' +
  'a=rtpmap:99 h263-1998/90000\r\n';
