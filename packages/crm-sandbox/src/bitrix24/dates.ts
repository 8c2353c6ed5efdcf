/** ISO 8601 with offset, the way Bitrix24 prints dates ("2024-08-15T10:38:21+00:00"). */
export function formatBitrixDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
