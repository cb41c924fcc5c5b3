import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';

/** Spellings of the same formats that providers reject; llm normalises these too (llm #603). */
const canonicalTypes: Record<string, string> = {
  'audio/wave': 'audio/wav',
  'audio/x-wav': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/x-mp3': 'audio/mpeg',
};

/** The canonical spelling of a MIME type, lowercased and without parameters. */
export function canonicalMimeType(type: string): string {
  const bare = (type.split(';', 1)[0] ?? '').trim().toLowerCase();
  return canonicalTypes[bare] ?? bare;
}

/** How many leading bytes are enough for every signature file-type knows. */
export const sniffLength = 4100;

/** The MIME type of bytes from their magic numbers, or undefined when unrecognised. */
export async function sniffType(bytes: Uint8Array): Promise<string | undefined> {
  const result = await fileTypeFromBuffer(bytes.subarray(0, sniffLength));
  return result ? canonicalMimeType(result.mime) : undefined;
}

/** The MIME type of a file from its magic numbers, or undefined when unrecognised. */
export async function sniffFileType(path: string): Promise<string | undefined> {
  const result = await fileTypeFromFile(path);
  return result ? canonicalMimeType(result.mime) : undefined;
}
