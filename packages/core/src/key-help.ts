/**
 * Where a model's key goes, said once for the error a run raises, the model listing and the
 * refusal of a prompt: the key belongs to the server, so a user's own shell never matters.
 */
export function keyHelp(keyName: string | undefined, keyEnvVar: string | undefined): string {
  const stored = keyName
    ? `an admin stores it with \`llmq provider-keys set ${keyName}\` or PUT /v1/provider-keys/${keyName}`
    : undefined;
  const environment = keyEnvVar ? `set ${keyEnvVar} on the server and its workers` : undefined;
  if (stored && environment) return `${stored}, or ${environment}`;
  return stored ?? environment ?? 'configure its key on the server';
}
