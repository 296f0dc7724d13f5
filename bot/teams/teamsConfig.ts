import { z } from 'zod';
import { UserError } from '../../domain/errors';

/**
 * The Microsoft Teams (Bot Framework) settings. bot/config.ts's loadConfig calls this with the same
 * environment; it lives next to the channel so the Teams variables are described in one place.
 */
export const teamsEnvSchema = z.object({
  // No app id = authentication off: only the Bot Framework Emulator can talk to the bot.
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  MICROSOFT_APP_TYPE: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', ''], { message: 'must be MultiTenant, SingleTenant or UserAssignedMSI' })
    .optional(),
});

export interface TeamsConfig {
  /** The bot's Microsoft App ID; undefined: inbound authentication is off (local Emulator testing). */
  appId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
  /** The client secret. Not enumerable (never serialized with the config); the logger redacts `password` too. */
  readonly appPassword?: string;
}

/** Reads and checks the Teams settings together: an app id needs what its app type authenticates with. */
export function loadTeamsConfig(env: NodeJS.ProcessEnv): TeamsConfig {
  const parsed = teamsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${issue.path.join('.')} ${issue.message}`, 2);
  }
  const e = parsed.data;
  const appId = e.MICROSOFT_APP_ID?.trim() || undefined;
  const tenantId = e.MICROSOFT_APP_TENANT_ID?.trim() || undefined;
  const appType = e.MICROSOFT_APP_TYPE || 'MultiTenant';
  const password = e.MICROSOFT_APP_PASSWORD?.trim() || undefined;
  if (appId && appType !== 'UserAssignedMSI' && !password) {
    throw new UserError("MICROSOFT_APP_PASSWORD is required when MICROSOFT_APP_ID is set (the bot's client secret)", 2);
  }
  if (appId && appType !== 'MultiTenant' && !tenantId) {
    throw new UserError(`MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE is ${appType}`, 2);
  }
  const teams = { appId, appType, tenantId } as TeamsConfig;
  // Not enumerable: a config that is logged or serialized whole never carries the secret.
  Object.defineProperty(teams, 'appPassword', { value: password, enumerable: false });
  return teams;
}
