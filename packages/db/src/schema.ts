/**
 * The database as Kysely sees it (camelCase; columns are snake_case on disk through
 * CamelCasePlugin). Portable types only, so one migration runs on SQLite and PostgreSQL:
 * timestamps are ISO 8601 UTC text (sortable as text), booleans are 0/1 integers, JSON
 * is text. Repositories convert to the contracts' shapes.
 */
export interface Database {
  tenants: TenantTable;
  balanceTransactions: BalanceTransactionTable;
  users: UserTable;
  sessions: SessionTable;
  apiKeys: ApiKeyTable;
  extensions: ExtensionTable;
  phoneNumbers: PhoneNumberTable;
  trunks: TrunkTable;
  routingSchemes: RoutingSchemeTable;
  routingSchemeVersions: RoutingSchemeVersionTable;
  soundFiles: SoundFileTable;
  calls: CallTable;
  callLegs: CallLegTable;
  recordings: RecordingTable;
  voicemailMessages: VoicemailMessageTable;
  auditLog: AuditLogTable;
  jobs: JobTable;
  nodeSecrets: NodeSecretTable;
  crmConnections: CrmConnectionTable;
  crmStepRecords: CrmStepRecordTable;
  crmCallAttempts: CrmCallAttemptTable;
}

type Timestamp = string;
type Flag = number;
type JsonText = string;

export interface TenantTable {
  id: string;
  slug: string;
  name: string;
  sipDomain: string;
  timeZone: string;
  language: string;
  recordingRetentionDays: number;
  balanceMinor: number;
  currency: string;
  status: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface BalanceTransactionTable {
  id: string;
  tenantId: string;
  amountMinor: number;
  reason: string;
  actor: string;
  createdAt: Timestamp;
}

export interface UserTable {
  id: string;
  tenantId: string | null;
  email: string;
  name: string;
  role: string;
  passwordHash: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface SessionTable {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
}

export interface ApiKeyTable {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  secretHash: string;
  role: string;
  createdBy: string | null;
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
}

export interface ExtensionTable {
  id: string;
  tenantId: string;
  number: string;
  displayName: string;
  sipPassword: string;
  callerId: string | null;
  voicemailEnabled: Flag;
  voicemailEmail: string | null;
  doNotDisturb: Flag;
  forwarding: JsonText;
  recording: string;
  userId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PhoneNumberTable {
  id: string;
  tenantId: string;
  e164: string;
  label: string;
  routingSchemeId: string | null;
  trunkId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface TrunkTable {
  id: string;
  tenantId: string;
  name: string;
  host: string;
  port: number;
  transport: string;
  username: string | null;
  password: string | null;
  authUsername: string | null;
  fromDomain: string | null;
  register: Flag;
  registerExpiresSeconds: number;
  dialPrefixes: JsonText;
  priority: number;
  enabled: Flag;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface RoutingSchemeTable {
  id: string;
  tenantId: string;
  name: string;
  currentVersion: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface RoutingSchemeVersionTable {
  id: string;
  tenantId: string;
  schemeId: string;
  version: number;
  graph: JsonText;
  comment: string;
  createdBy: string | null;
  createdAt: Timestamp;
}

export interface SoundFileTable {
  id: string;
  tenantId: string;
  name: string;
  purpose: string;
  originalFilename: string;
  contentType: string;
  sizeBytes: number;
  storagePath: string;
  durationMs: number | null;
  createdAt: Timestamp;
}

export interface CallTable {
  id: string;
  tenantId: string;
  direction: string;
  status: string;
  caller: string;
  callee: string;
  phoneNumber: string | null;
  extensionNumber: string | null;
  sipCallId: string | null;
  startedAt: Timestamp;
  answeredAt: Timestamp | null;
  endedAt: Timestamp | null;
  durationSeconds: number;
  talkSeconds: number;
  hangupCause: string | null;
  schemePath: JsonText;
}

export interface CallLegTable {
  id: string;
  tenantId: string;
  callId: string;
  role: string;
  party: string;
  sipCallId: string | null;
  status: string;
  startedAt: Timestamp;
  answeredAt: Timestamp | null;
  endedAt: Timestamp | null;
  mediaStats: JsonText | null;
}

export interface RecordingTable {
  id: string;
  tenantId: string;
  callId: string | null;
  storagePath: string;
  format: string;
  durationSeconds: number;
  sizeBytes: number;
  createdAt: Timestamp;
  expiresAt: Timestamp;
}

export interface VoicemailMessageTable {
  id: string;
  tenantId: string;
  extensionId: string;
  callId: string | null;
  caller: string;
  storagePath: string;
  durationSeconds: number;
  heard: Flag;
  createdAt: Timestamp;
}

export interface AuditLogTable {
  id: string;
  tenantId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: JsonText | null;
  after: JsonText | null;
  createdAt: Timestamp;
}

export interface JobTable {
  id: string;
  tenantId: string | null;
  kind: string;
  payload: JsonText;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: Timestamp;
  lockedBy: string | null;
  lockedUntil: Timestamp | null;
  lastError: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
}

/**
 * Tables with a tenant column; tenant code reaches them only through `TenantScope`. (In
 * `users`, `audit_log` and `jobs` a null tenant marks operator-wide rows, which no scope sees.)
 */
export type TenantOwnedTable = {
  [K in keyof Database]: Database[K] extends { tenantId: string | null } ? K : never;
}[keyof Database];

/** Installation-wide secrets shared by every node (migration 0002). */
export interface NodeSecretTable {
  name: string;
  value: string;
  createdAt: string;
}

/** A tenant's connection to a CRM account (migration 0003). */
export interface CrmConnectionTable {
  id: string;
  tenantId: string;
  kind: string;
  name: string;
  baseUrl: string;
  authType: string;
  /** The OAuth integration's identity (client id, secret, redirect URI); null for a token. */
  integration: JsonText | null;
  /** The current token pair; replaced on every refresh. */
  credentials: JsonText | null;
  settings: JsonText;
  settingsVersion: number;
  enabled: Flag;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The outcome of one write step of one call's CRM pipeline: its idempotency record. */
export interface CrmStepRecordTable {
  key: string;
  tenantId: string;
  connectionId: string;
  state: string;
  result: JsonText | null;
  updatedAt: Timestamp;
}

/** One delivery attempt of a call to a CRM connection, with its trace. */
export interface CrmCallAttemptTable {
  id: string;
  tenantId: string;
  connectionId: string;
  callId: string;
  attempt: number;
  outcome: string;
  error: string | null;
  trace: JsonText;
  createdAt: Timestamp;
}
