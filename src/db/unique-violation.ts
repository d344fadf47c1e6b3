/**
 * True when a driver error is a unique-constraint violation, on either dialect. Stores turn it
 * into an AlreadyExistsError without a racy read-before-write.
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === '23505'
  );
}
