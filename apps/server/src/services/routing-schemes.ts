import {
  ProvodError,
  routingSchemeCreateSchema,
  routingSchemeRenameSchema,
  routingSchemeVersionCreateSchema,
  routingSimulationRequestSchema,
  validateRoutingGraph,
  type ErrorDetail,
  type NodeKind,
  type RoutingGraph,
  type RoutingNode,
  type RoutingNodeOf,
  type RoutingScheme,
  type RoutingSchemeCreate,
  type RoutingSchemeRename,
  type RoutingSchemeVersion,
  type RoutingSchemeVersionCreate,
  type RoutingSchemeVersionSummary,
  type RoutingSimulationRequest,
  type RoutingSimulationResult,
} from '@provod/contracts';
import {
  extensionRepository,
  isUniqueViolation,
  routingSchemeRepository,
  tenantRepository,
  type RoutingSchemeRepository,
} from '@provod/db';
import { simulateScheme } from '@provod/pbx';
import type { RegistrationService } from './registrations.ts';
import {
  notFoundError,
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

const entityType = 'routing_scheme';

/**
 * Routing schemes: a graph is saved only when `validateRoutingGraph` finds nothing wrong
 * and every extension and sound it names exists in the tenant, so the PBX never meets a
 * scheme it cannot walk. Each save is a new version; history is never rewritten.
 */
export function routingSchemeService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => routingSchemeRepository(tenantScope(deps, ctx), deps.clock);

  async function existing(repo: RoutingSchemeRepository, id: string): Promise<RoutingScheme> {
    return (await repo.get(id)) ?? notFound(id);
  }

  async function assertNameFree(repo: RoutingSchemeRepository, name: string, id?: string) {
    const holder = await repo.findByName(name);
    if (holder && holder.id !== id) throw nameTaken(name);
  }

  async function addVersion(
    ctx: TenantContext,
    id: string,
    graph: RoutingGraph,
    comment: string,
    restoredFrom?: number,
  ): Promise<RoutingScheme> {
    return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
      const repo = routingSchemeRepository(scope, deps.clock);
      const before = await existing(repo, id);
      await assertValidGraph(repo, graph);
      const after =
        (await repo.addVersion(id, { graph, comment, createdBy: ctx.actor.id })) ?? notFound(id);
      await record(
        restoredFrom === undefined ? 'add_version' : 'restore_version',
        entityType,
        id,
        { currentVersion: before.currentVersion },
        {
          currentVersion: after.currentVersion,
          comment,
          ...(restoredFrom !== undefined && { restoredFrom }),
        },
      );
      return after;
    });
  }

  return {
    list: (ctx: TenantContext): Promise<RoutingScheme[]> => read(ctx).list(),

    get: (ctx: TenantContext, id: string): Promise<RoutingScheme> => existing(read(ctx), id),

    async create(ctx: TenantContext, input: RoutingSchemeCreate): Promise<RoutingScheme> {
      const fields = routingSchemeCreateSchema.parse(input);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = routingSchemeRepository(scope, deps.clock);
        await assertValidGraph(repo, fields.graph);
        await assertNameFree(repo, fields.name);
        const created = await repo
          .create({ ...fields, createdBy: ctx.actor.id })
          .catch(rethrowNameTaken(fields.name));
        await record('create', entityType, created.id, null, {
          name: created.name,
          currentVersion: created.currentVersion,
          comment: fields.comment,
        });
        return created;
      });
    },

    async addVersion(
      ctx: TenantContext,
      id: string,
      input: RoutingSchemeVersionCreate,
    ): Promise<RoutingScheme> {
      const fields = routingSchemeVersionCreateSchema.parse(input);
      return addVersion(ctx, id, fields.graph, fields.comment);
    },

    /** Makes an old graph current again by saving it as a new version. */
    async restore(ctx: TenantContext, id: string, version: number): Promise<RoutingScheme> {
      const old = await read(ctx).getVersion(id, version);
      if (!old) throw new ProvodError('not_found', `version ${version} of ${id} not found`);
      return addVersion(ctx, id, old.graph, `Restored from version ${version}`, version);
    },

    async listVersions(ctx: TenantContext, id: string): Promise<RoutingSchemeVersionSummary[]> {
      const repo = read(ctx);
      await existing(repo, id);
      return repo.listVersions(id);
    },

    async getVersion(
      ctx: TenantContext,
      id: string,
      version: number,
    ): Promise<RoutingSchemeVersion> {
      const found = await read(ctx).getVersion(id, version);
      if (!found) throw new ProvodError('not_found', `version ${version} of ${id} not found`);
      return found;
    },

    /**
     * Walks a version of the scheme (default: the current one) for a made-up call with
     * the PBX's own engine, against the tenant's extensions, who is registered right now
     * and its time zone; nothing is dialled and nothing is written.
     */
    async simulate(
      ctx: TenantContext,
      id: string,
      input: RoutingSimulationRequest,
      registrations: Pick<RegistrationService, 'list'>,
    ): Promise<RoutingSimulationResult> {
      const fields = routingSimulationRequestSchema.parse(input);
      const repo = read(ctx);
      const scheme = await existing(repo, id);
      const version = fields.version ?? scheme.currentVersion;
      const graph =
        version === scheme.currentVersion
          ? scheme.graph
          : (await repo.getVersion(id, version))?.graph;
      if (graph === undefined) {
        throw new ProvodError('not_found', `version ${version} of ${id} not found`);
      }
      const tenant = await tenantRepository(deps.database.db, deps.clock).get(ctx.tenantId);
      if (tenant === undefined)
        throw new ProvodError('not_found', `tenant ${ctx.tenantId} not found`);
      const extensions = await extensionRepository(tenantScope(deps, ctx), deps.clock).list();
      const simulation = await simulateScheme(
        graph,
        {
          timeZone: tenant.timeZone,
          extensions: extensions.map((e) => ({
            number: e.number,
            doNotDisturb: e.doNotDisturb,
            forwarding: e.forwarding,
            voicemailEnabled: e.voicemailEnabled,
          })),
          registered: new Set(registrations.list(ctx).map((r) => r.extension)),
        },
        {
          caller: fields.caller,
          dialled: fields.dialled,
          at: fields.at === undefined ? deps.clock() : new Date(fields.at),
          script: fields.script,
        },
      );
      return {
        schemeId: id,
        version,
        path: [...simulation.path],
        result: simulation.result,
        end: { kind: simulation.end.kind, party: simulation.party },
      };
    },

    async rename(
      ctx: TenantContext,
      id: string,
      input: RoutingSchemeRename,
    ): Promise<RoutingScheme> {
      const { name } = routingSchemeRenameSchema.parse(input);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = routingSchemeRepository(scope, deps.clock);
        const before = await existing(repo, id);
        await assertNameFree(repo, name, id);
        const after = (await repo.rename(id, name).catch(rethrowNameTaken(name))) ?? notFound(id);
        await record('rename', entityType, id, { name: before.name }, { name: after.name });
        return after;
      });
    },

    /**
     * Refused while phone numbers route through the scheme: the foreign key would quietly
     * set their scheme to null and leave those numbers with nowhere to send calls.
     */
    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = routingSchemeRepository(scope, deps.clock);
        const before = await existing(repo, id);
        const numbers = await repo.phoneNumbersUsing(id);
        if (numbers.length > 0) {
          throw new ProvodError(
            'conflict',
            `routing scheme ${before.name} still routes ${numbers.join(', ')}`,
            numbers.map((e164) => ({ path: 'id', message: `phone number ${e164} uses it` })),
          );
        }
        await repo.delete(id);
        // The versions go with the scheme, so the audit line keeps its last graph.
        await record('delete', entityType, id, before, null);
      });
    },
  };
}

export type RoutingSchemeService = ReturnType<typeof routingSchemeService>;

/** Structure first; references only for a graph that makes sense, so the list stays short. */
async function assertValidGraph(repo: RoutingSchemeRepository, graph: RoutingGraph) {
  const issues: ErrorDetail[] = validateRoutingGraph(graph).map((issue) => ({
    ...issue,
    path: `graph.${issue.path}`,
  }));
  if (issues.length === 0) issues.push(...(await missingReferences(repo, graph)));
  if (issues.length === 0) return;
  const shown = issues.slice(0, 5).map((issue) => `${issue.path ?? ''}: ${issue.message}`);
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  throw new ProvodError(
    'invalid_routing_scheme',
    `the routing scheme is not valid: ${shown.join('; ')}${more}`,
    issues,
  );
}

async function missingReferences(
  repo: RoutingSchemeRepository,
  graph: RoutingGraph,
): Promise<ErrorDetail[]> {
  const references = routingReferencesOf(graph);
  const unique = (kind: 'extension' | 'sound') => [
    ...new Set(references.filter((r) => r.kind === kind).map((r) => r.value)),
  ];
  const missing = new Set([
    ...(await repo.missingExtensions(unique('extension'))).map((n) => `extension:${n}`),
    ...(await repo.missingSoundFiles(unique('sound'))).map((id) => `sound:${id}`),
  ]);
  return references
    .filter((r) => missing.has(`${r.kind}:${r.value}`))
    .map((r) => ({
      nodeId: r.nodeId,
      path: `graph.${r.path}`,
      message:
        r.kind === 'extension'
          ? `extension ${r.value} does not exist`
          : `sound file ${r.value} does not exist`,
    }));
}

/** A tenant object a node names: an extension number or a sound file id. */
interface RoutingReference {
  kind: 'extension' | 'sound';
  value: string;
  nodeId: string;
  path: string;
}

type FieldValues = Record<string, string | null | readonly string[]>;

const none = { extension: {}, sound: {} };

/** What each node kind refers to, by field. Exhaustive, like the graph's `edgesOf`. */
const referencesOf: {
  [K in NodeKind]: (node: RoutingNodeOf<K>) => { extension: FieldValues; sound: FieldValues };
} = {
  schedule: () => none,
  ivr: (node) => ({
    extension: { 'directDial.extensions': node.directDial.extensions },
    sound: { prompt: node.prompt, invalidPrompt: node.invalidPrompt },
  }),
  queue: (node) => ({
    extension: { agents: node.agents },
    sound: { musicOnHold: node.musicOnHold },
  }),
  ring_group: (node) => ({
    // Members may also be external E.164 numbers, which are not the tenant's to check.
    extension: Object.fromEntries(
      node.members.flatMap((m, i) =>
        m.number.startsWith('+') ? [] : [[`members.${i}.number`, m.number]],
      ),
    ),
    sound: {},
  }),
  extension: (node) => ({ extension: { number: node.number }, sound: {} }),
  voicemail: (node) => ({
    extension: { mailbox: node.mailbox },
    sound: { greeting: node.greeting },
  }),
  list_filter: () => none,
  forward: () => none,
  play: (node) => ({ extension: {}, sound: { prompt: node.prompt } }),
  conference: () => none,
  hangup: () => none,
};
function referencesOfKind<K extends NodeKind>(kind: K, node: RoutingNodeOf<K>) {
  return referencesOf[kind](node);
}

function routingReferencesOf(graph: RoutingGraph): RoutingReference[] {
  return graph.nodes.flatMap((node: RoutingNode, i) => {
    const fields = referencesOfKind(node.kind, node);
    return (['extension', 'sound'] as const).flatMap((kind) =>
      Object.entries(fields[kind]).flatMap(([field, value]) => {
        if (value === null) return [];
        const at = (v: string, path: string) => ({ kind, value: v, nodeId: node.id, path });
        return typeof value === 'string'
          ? [at(value, `nodes.${i}.${field}`)]
          : value.map((v, j) => at(v, `nodes.${i}.${field}.${j}`));
      }),
    );
  });
}

const notFound = (id: string): never => notFoundError('routing scheme', id);

function nameTaken(name: string): ProvodError {
  return new ProvodError('conflict', `a routing scheme named ${name} already exists`, [
    { path: 'name', message: 'already taken' },
  ]);
}

function rethrowNameTaken(name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  };
}
