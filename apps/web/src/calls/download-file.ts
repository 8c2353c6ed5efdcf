/**
 * Hands text to the browser as a file download: a Blob URL on a temporary link with the
 * `download` attribute (https://developer.mozilla.org/docs/Web/HTML/Element/a#download).
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the Blob once started; the URL is ours to free.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
