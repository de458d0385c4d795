// A swappable file store for uploads (accreditation evidence: certificates, letters). Files are kept
// under random names outside any public directory and are only ever served through an authorised
// route (Content-Disposition: attachment, X-Content-Type-Options: nosniff). The local-directory
// store keeps them under DATA_DIR/files/<namespace>/; another store (S3, …) implements FileStore.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../http/errors.ts";

export const FILE_TYPES = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
} as const;
export type FileType = keyof typeof FILE_TYPES;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface StoredFile {
  key: string;
  type: FileType;
  size: number;
}

export interface FileStore {
  /** Checks size and type (by magic bytes, never by name or claimed type) and stores under a random key. */
  put(namespace: string, bytes: Uint8Array): Promise<StoredFile>;
  get(key: string): Promise<{ bytes: Uint8Array; type: FileType } | null>;
  delete(key: string): Promise<void>;
}

/** The type from the first bytes, or null: %PDF-, PNG signature, JPEG SOI + marker. */
export function sniffFileType(bytes: Uint8Array): FileType | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  return null;
}

/** Throws 413 / 415 / 400 (field `file`) for an upload that may not be stored. */
export function checkUpload(bytes: Uint8Array): FileType {
  if (bytes.byteLength === 0) throw new AppError("validation_failed", "The file is empty.", [{ path: "file", message: "empty file" }]);
  if (bytes.byteLength > MAX_FILE_BYTES) throw new AppError("payload_too_large", "Files may be at most 5 MB.", [{ path: "file", message: "larger than 5 MB" }]);
  const type = sniffFileType(bytes);
  if (!type) throw new AppError("unsupported_media_type", "Only PDF, PNG and JPEG files are accepted.", [{ path: "file", message: "not a PDF, PNG or JPEG file" }]);
  return type;
}

const KEY = /^([a-z][a-z0-9-]{0,39})\/([A-Za-z0-9_-]{32})\.(pdf|png|jpg)$/;
const TYPE_OF_EXT: Record<string, FileType> = { pdf: "application/pdf", png: "image/png", jpg: "image/jpeg" };

export function createLocalFileStore(rootDir: string): FileStore {
  const root = path.resolve(rootDir);
  const resolve = (key: string) => {
    const m = KEY.exec(key);
    if (!m) return null;
    return { file: path.join(root, m[1]!, `${m[2]!}.${m[3]!}`), type: TYPE_OF_EXT[m[3]!]! };
  };
  return {
    async put(namespace, bytes) {
      if (!/^[a-z][a-z0-9-]{0,39}$/.test(namespace)) throw new Error(`bad file namespace: ${namespace}`);
      const type = checkUpload(bytes);
      const key = `${namespace}/${randomBytes(24).toString("base64url")}.${FILE_TYPES[type]}`;
      const target = resolve(key)!;
      await mkdir(path.dirname(target.file), { recursive: true, mode: 0o700 });
      await writeFile(target.file, bytes, { flag: "wx", mode: 0o600 });
      return { key, type, size: bytes.byteLength };
    },
    async get(key) {
      const target = resolve(key);
      if (!target) return null;
      try {
        return { bytes: new Uint8Array(await readFile(target.file)), type: target.type };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw e;
      }
    },
    async delete(key) {
      const target = resolve(key);
      if (target) await rm(target.file, { force: true });
    },
  };
}

/** The default store: DATA_DIR/files. */
export function defaultFileStore(dataDir: string): FileStore {
  return createLocalFileStore(path.join(dataDir, "files"));
}
