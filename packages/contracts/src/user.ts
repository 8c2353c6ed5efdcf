import { z } from 'zod';
import { idSchema, timestampSchema } from './common.ts';
import { roleSchema, tenantRoleSchema } from './roles.ts';

export const emailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());
export const passwordSchema = z.string().min(8, 'at least 8 characters').max(200);

export const userSchema = z.object({
  id: idSchema,
  tenantId: idSchema.nullable().describe('null for the operator staff'),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type User = z.infer<typeof userSchema>;

export const userCreateSchema = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
  password: passwordSchema,
  role: tenantRoleSchema,
});
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  password: passwordSchema.optional(),
  role: tenantRoleSchema.optional(),
});
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const loginSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1).max(200),
});
export type Login = z.infer<typeof loginSchema>;

export const sessionSchema = z.object({
  user: userSchema,
  csrfToken: z.string().describe('Send as X-CSRF-Token on every write made with the cookie'),
  expiresAt: timestampSchema,
});
export type Session = z.infer<typeof sessionSchema>;

export const signupSchema = z.strictObject({
  companyName: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'expected 2–41 lower-case letters, digits or dashes'),
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
  password: passwordSchema,
});
export type Signup = z.infer<typeof signupSchema>;
