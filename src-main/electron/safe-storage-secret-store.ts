/**
 * The Electron `SecretStore`: secrets encrypted with `safeStorage` (OS keychain / DPAPI /
 * libsecret) into files under the app's data folder. Refuses to store anything when encryption
 * is unavailable or would fall back to plain text (Linux `basic_text`).
 */
import { safeStorage } from 'electron';
import { SealedFileSecretStore } from '../auth/secret-store';

function assertEncrypted(): void {
  const plainText = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || plainText) {
    throw new Error('OS encryption is unavailable: the session is not stored (the console never keeps a token in plain text)');
  }
}

/** `safeStorage`-backed secret files in `<dir>/<key>.safe` (the file handling is `SealedFileSecretStore`'s). */
export class SafeStorageSecretStore extends SealedFileSecretStore {
  constructor(dir: string) {
    super(dir, 'safe', {
      seal(value) {
        assertEncrypted();
        return safeStorage.encryptString(value);
      },
      open: (blob) => safeStorage.decryptString(blob),
    });
  }
}
