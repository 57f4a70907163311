import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { maskIdNumber, maskPhone, type ApplicationForm } from '@pingan/core';
import type { Db, Tx } from '../../db/client.js';
import { applicationRevisions, applications, objections, outbox, subjects, users } from '../../db/schema.js';
import type { Keys } from '../../crypto/keys.js';
import { decrypt, encrypt, isEncrypted } from '../../crypto/pii.js';

/**
 * Personal numbers at rest and on screen. Stored encrypted (crypto/pii.ts: "g1:" AES-GCM or "s1:"
 * SM4); shown in full only to whoever they belong to, masked to everyone else, revealed in full
 * only by an explicit, audited action. The form's contact phone lives in applications.contact_phone,
 * never in the form's JSON.
 */

/**
 * A phone as it is stored: encrypted, or null when empty. `keys` is null only for the demo seed,
 * which runs before the keys are loaded: what it writes in clear the startup step encrypts.
 */
export function sealPhone(keys: Keys | null, v: string | null | undefined): string | null {
  const t = v?.trim();
  if (!t) return null;
  return keys ? encrypt(keys, t) : t;
}

/** The clear value of a stored one (a value from before encryption reads as itself). */
export function openValue(keys: Keys, stored: string | null | undefined): string | null {
  return stored == null ? null : decrypt(keys, stored);
}

export const shownPhone = (keys: Keys, stored: string | null | undefined, full: boolean): string | null => {
  const v = openValue(keys, stored);
  return full ? v : maskPhone(v);
};

export const shownIdNumber = (keys: Keys, stored: string | null | undefined, full: boolean): string | null => {
  const v = openValue(keys, stored);
  return full ? v : maskIdNumber(v);
};

/** The form as the API carries it: the JSON plus the contact phone from its column, full or masked. */
export function presentForm(keys: Keys, form: ApplicationForm, storedPhone: string | null, full: boolean): ApplicationForm {
  const rest = { ...form };
  delete rest.contactPhone;
  return { ...rest, contactPhone: shownPhone(keys, storedPhone, full) };
}

/** The form without its phone, for the JSON column. */
export function formWithoutPhone(form: ApplicationForm): ApplicationForm {
  const rest = { ...form };
  delete rest.contactPhone;
  return rest;
}

const plain = (col: AnyPgColumn): SQL => sql`${col} is not null and ${col} not like 'g1:%' and ${col} not like 's1:%'`;

/**
 * The startup step (buildApp, every start; idempotent): moves a contact phone left in a form's JSON
 * (applications and their frozen revisions) into its column, and encrypts every personal number
 * still in clear: subjects' ID numbers and phones, users' phones, contact phones, and SMS recipients
 * waiting in the outbox. Each update checks the value it read, so two servers starting together do
 * not encrypt twice. Answers how many values it changed; logs nothing.
 */
export async function protectPersonalData(db: Db | Tx, keys: Keys): Promise<number> {
  let changed = 0;
  const seal = (v: string | null): string | null => (v && v.trim() ? encrypt(keys, v.trim()) : null);

  // 1. form.contactPhone → contact_phone (encrypted), for applications and revisions alike
  for (const t of [applications, applicationRevisions] as const) {
    const rows = await db
      .select({ id: t.id, form: t.form, contactPhone: t.contactPhone })
      .from(t)
      .where(sql`${t.form}->'contactPhone' is not null`);
    for (const r of rows) {
      const inForm = typeof r.form.contactPhone === 'string' ? r.form.contactPhone : null;
      const column = r.contactPhone ?? seal(inForm);
      await db
        .update(t)
        .set({ form: formWithoutPhone(r.form), contactPhone: column })
        .where(and(eq(t.id, r.id), sql`${t.form}->'contactPhone' is not null`));
      changed++;
    }
  }

  // 2. every personal number still in clear
  const columns: {
    table: typeof subjects | typeof users | typeof applications | typeof applicationRevisions | typeof outbox | typeof objections;
    id: AnyPgColumn;
    col: AnyPgColumn;
    key: string;
    extra?: SQL;
  }[] = [
    { table: subjects, id: subjects.id, col: subjects.idNumber, key: 'idNumber' },
    { table: subjects, id: subjects.id, col: subjects.phone, key: 'phone' },
    { table: users, id: users.id, col: users.phone, key: 'phone' },
    { table: applications, id: applications.id, col: applications.contactPhone, key: 'contactPhone' },
    { table: applicationRevisions, id: applicationRevisions.id, col: applicationRevisions.contactPhone, key: 'contactPhone' },
    { table: outbox, id: outbox.id, col: outbox.recipient, key: 'recipient', extra: eq(outbox.channel, 'sms') },
    // a named objector's name and phone (异议): written encrypted, sealed here if ever left in clear
    { table: objections, id: objections.id, col: objections.objectorName, key: 'objectorName' },
    { table: objections, id: objections.id, col: objections.objectorPhone, key: 'objectorPhone' },
  ];
  for (const c of columns) {
    const rows = (await db
      .select({ id: c.id, v: c.col })
      .from(c.table)
      .where(and(plain(c.col), c.extra ?? undefined))) as { id: number; v: string }[];
    for (const r of rows) {
      if (isEncrypted(r.v)) continue;
      const sealed = seal(r.v);
      // the outbox recipient is NOT NULL: an empty one stays empty (it is never sent)
      if (sealed === null && c.table === outbox) continue;
      await db
        .update(c.table)
        .set({ [c.key]: sealed } as never)
        .where(and(eq(c.id, r.id), eq(c.col, r.v), isNotNull(c.col)));
      changed++;
    }
  }
  return changed;
}
