/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** credentials.csv as the cloud's console hands it out: one header line, one key. */
export function credentialsCsv(userName: string, accessKey: string, secret: string): string {
  return `User Name,Access Key Id,Secret Access Key\r\n${[userName, accessKey, secret].map(field).join(',')}\r\n`;
}

export function downloadText(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
