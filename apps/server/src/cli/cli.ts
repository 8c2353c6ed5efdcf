import { Command, Option } from 'commander';
import { ZodError } from 'zod';
import { isProvodError, tenantRoleSchema, staffRoleSchema } from '@provod/contracts';
import { migrateToLatest } from '@provod/db';
import { ConfigError, loadConfig, type ConfigFlags } from '../config/config.ts';
import { createDemoTenant, formatDemoCredentials } from '../runtime/demo.ts';
import { openInstance, type Instance } from '../runtime/instance.ts';
import { startServer } from '../runtime/server.ts';
import { provodVersion } from '../runtime/version.ts';
import { generateSipPassword } from '../services/generated-secrets.ts';
import type { TenantContext } from '../services/service-context.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const cliActor = { type: 'cli' as const, id: null };

/** Options every command takes, so each acts on the same instance as a running `start`. */
function withInstanceOptions(command: Command): Command {
  return command
    .option('--config <file>', 'configuration file (default ./provod.config.json)')
    .option('--data <dir>', 'data directory: SQLite database, recordings, sounds (PROVOD_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL instead of SQLite (DATABASE_URL)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent');
}

export function buildCli(io: CliIo): Command {
  const program = new Command('provod')
    .description('Provod: cloud business telephony (multi-tenant virtual PBX)')
    .version(provodVersion)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError()
    .exitOverride();

  const configFrom = (flags: ConfigFlags) => loadConfig(flags, io.env, io.cwd);
  async function withInstance<T>(
    flags: ConfigFlags,
    work: (instance: Instance) => Promise<T>,
  ): Promise<T> {
    const instance = await openInstance(configFrom(flags));
    try {
      return await work(instance);
    } finally {
      await instance.close();
    }
  }
  async function tenantBySlug(instance: Instance, slug: string): Promise<TenantContext> {
    const tenant = await instance.services.tenants.findBySlug(slug);
    if (!tenant) throw new CliError(`no tenant "${slug}" (see: provod tenant list)`);
    return { tenantId: tenant.id, role: 'owner', actor: cliActor };
  }

  withInstanceOptions(program.command('start'))
    .description('run Provod: HTTP API and cabinet, SIP, media')
    .option('--http-port <port>', 'HTTP port (PROVOD_HTTP_PORT, default 8080)')
    .option('--sip-port <port>', 'SIP port (PROVOD_SIP_PORT, default 5060)')
    .addOption(new Option('--no-demo', 'do not create the demo tenant on an empty database'))
    .action(async (flags: ConfigFlags & { demo: boolean }) => {
      // Commander sets demo=true by default; only an explicit --no-demo overrides the config.
      const demoFlag = flags.demo ? undefined : false;
      const server = await startServer(configFrom({ ...flags, demo: demoFlag }), {
        announce: io.out,
      });
      const stop = (signal: string) => {
        server.http.log.info({ signal }, 'shutting down');
        server.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            io.err(`shutdown failed: ${String(error)}`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });

  withInstanceOptions(program.command('migrate'))
    .description('apply database migrations and exit')
    .action(async (flags: ConfigFlags) => {
      await withInstance(flags, async (instance) => {
        const report = await migrateToLatest(instance.database.raw);
        io.out(`database is up to date (${report.applied.length} migration(s) applied now)`);
      });
    });

  const tenant = program.command('tenant').description('manage tenants (companies)');
  withInstanceOptions(tenant.command('create'))
    .requiredOption('--slug <slug>', 'short name, e.g. acme')
    .requiredOption('--name <name>', 'company name')
    .option('--sip-domain <domain>', 'SIP domain (default <slug>.provod.local)')
    .option('--time-zone <zone>', 'IANA time zone', 'Europe/Moscow')
    .option('--language <ru|en>', 'language', 'ru')
    .action(
      async (
        flags: ConfigFlags & {
          slug: string;
          name: string;
          sipDomain?: string;
          timeZone: string;
          language: string;
        },
      ) => {
        await withInstance(flags, async (instance) => {
          const created = await instance.services.tenants.create(
            {
              slug: flags.slug,
              name: flags.name,
              ...(flags.sipDomain !== undefined && { sipDomain: flags.sipDomain }),
              timeZone: flags.timeZone,
              language: flags.language as 'ru' | 'en',
            },
            cliActor,
          );
          io.out(
            `tenant ${created.slug} created (id ${created.id}, SIP domain ${created.sipDomain})`,
          );
        });
      },
    );
  withInstanceOptions(tenant.command('list')).action(async (flags: ConfigFlags) => {
    await withInstance(flags, async (instance) => {
      for (const t of await instance.services.tenants.list()) {
        io.out(`${t.slug}\t${t.sipDomain}\t${t.status}\t${t.name}`);
      }
    });
  });

  const user = program.command('user').description('manage people who log in');
  withInstanceOptions(user.command('create'))
    .option('--tenant <slug>', 'the tenant (omit with --staff-role for operator staff)')
    .requiredOption('--email <email>', 'login e-mail')
    .option('--name <name>', 'full name')
    .option('--role <role>', `tenant role: ${tenantRoleSchema.options.join(', ')}`, 'admin')
    .option('--staff-role <role>', `operator staff role: ${staffRoleSchema.options.join(', ')}`)
    .option('--password <password>', 'generated and printed when omitted')
    .action(
      async (
        flags: ConfigFlags & {
          tenant?: string;
          email: string;
          name?: string;
          role: string;
          staffRole?: string;
          password?: string;
        },
      ) => {
        const password = flags.password ?? generateSipPassword(14);
        await withInstance(flags, async (instance) => {
          const name = flags.name ?? flags.email;
          if (flags.staffRole !== undefined) {
            const created = await instance.services.users.createStaff(
              { email: flags.email, name, password, role: staffRoleSchema.parse(flags.staffRole) },
              cliActor,
            );
            io.out(`staff user ${created.email} (${created.role}) created`);
          } else {
            if (flags.tenant === undefined)
              throw new CliError('--tenant is required (or --staff-role)');
            const ctx = await tenantBySlug(instance, flags.tenant);
            const created = await instance.services.users.create(ctx, {
              email: flags.email,
              name,
              password,
              role: tenantRoleSchema.parse(flags.role),
            });
            io.out(`user ${created.email} (${created.role}) created in ${flags.tenant}`);
          }
          if (flags.password === undefined) io.out(`password: ${password}`);
        });
      },
    );

  const extension = program.command('extension').description('manage extensions (SIP accounts)');
  withInstanceOptions(extension.command('add'))
    .requiredOption('--tenant <slug>', 'the tenant')
    .requiredOption('--number <number>', 'extension number, e.g. 101')
    .option('--password <password>', 'SIP password; generated and printed when omitted')
    .option('--name <name>', 'display name')
    .action(
      async (
        flags: ConfigFlags & { tenant: string; number: string; password?: string; name?: string },
      ) => {
        await withInstance(flags, async (instance) => {
          const ctx = await tenantBySlug(instance, flags.tenant);
          const created = await instance.services.extensions.create(ctx, {
            number: flags.number,
            ...(flags.name !== undefined && { displayName: flags.name }),
            ...(flags.password !== undefined && { sipPassword: flags.password }),
          });
          io.out(`extension ${created.number} created in ${flags.tenant}`);
          if (flags.password === undefined) io.out(`SIP password: ${created.sipPassword}`);
        });
      },
    );

  const number = program.command('number').description('manage public phone numbers');
  withInstanceOptions(number.command('add'))
    .requiredOption('--tenant <slug>', 'the tenant')
    .requiredOption('--number <e164>', 'the number in E.164, e.g. +74951234567')
    .option('--label <text>', 'what the number is for, e.g. "Sales line"')
    .action(async (flags: ConfigFlags & { tenant: string; number: string; label?: string }) => {
      await withInstance(flags, async (instance) => {
        const ctx = await tenantBySlug(instance, flags.tenant);
        const created = await instance.services.phoneNumbers.create(ctx, {
          e164: flags.number,
          ...(flags.label !== undefined && { label: flags.label }),
        });
        io.out(`phone number ${created.e164} added to ${flags.tenant} (id ${created.id})`);
      });
    });

  withInstanceOptions(program.command('demo'))
    .description(
      'create tenant "demo" (SIP domain demo.provod.local) with extensions 101–105 and an owner',
    )
    .action(async (flags: ConfigFlags) => {
      await withInstance(flags, async (instance) => {
        io.out(formatDemoCredentials(await createDemoTenant(instance.services, cliActor)));
      });
    });

  return program;
}

export class CliError extends Error {
  override readonly name = 'CliError';
}

/** Runs the CLI; returns the exit code. Errors become one clear line, never a stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildCli(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CliError) {
      io.err(error.message);
      return 2;
    }
    if (isProvodError(error)) {
      const details = error.details?.map((d) => `${d.path ?? ''}: ${d.message}`).join('; ');
      io.err(`error (${error.code}): ${error.message}${details ? ` — ${details}` : ''}`);
      return 1;
    }
    if (isCommanderExit(error)) return error.exitCode;
    if (error instanceof ZodError) {
      const issues = error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      io.err(`error (validation_failed): ${issues.join('; ')}`);
      return 1;
    }
    throw error;
  }
}

function isCommanderExit(error: unknown): error is { exitCode: number } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    'exitCode' in error &&
    typeof (error as { code: unknown }).code === 'string' &&
    String((error as { code: string }).code).startsWith('commander.')
  );
}
