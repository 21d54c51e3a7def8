/**
 * Saves a file main made (issue 11: a CSV export) as a download of a `blob:` URL: Electron shows its
 * native save dialog for it (main only lets the app's own blob downloads through), a browser saves
 * it as a download. The text is written as UTF-8 (a CSV's BOM included).
 */
export function saveFile(file: { fileName: string; content: string }, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([file.content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download reads the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
