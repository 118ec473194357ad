import type { AxiosInstance } from 'axios';
import type { AgentConfig } from '../../config';
import type { DifyFileType } from '../media/fileType';
import type { AppParameters } from './appParameters';
import { DifyError, parseErrorBody } from './difyErrors';

/** Which file types an app takes, from `GET /parameters` (dify-api.md §6.9, §8 P16). */
export interface FileCapabilities {
  accepts(type: DifyFileType): boolean;
}

const ACCEPT_ALL: FileCapabilities = { accepts: () => true };
const ACCEPT_NONE: FileCapabilities = { accepts: () => false };

interface FileUploadSettings {
  enabled?: unknown;
  allowed_file_types?: unknown;
  image?: { enabled?: unknown };
}

/**
 * Chat apps silently drop files when their upload feature is off (dify-api.md §2), so the gateway
 * asks first and tells the user instead. Newer builds list `allowed_file_types` (with `custom`
 * meaning anything); older ones only have the image (vision) switch.
 */
export function capabilitiesFrom(parameters: unknown): FileCapabilities {
  const upload = (parameters as { file_upload?: FileUploadSettings } | null)?.file_upload;
  // Builds without the setting at all leave the decision to Dify.
  if (upload === undefined || upload === null || typeof upload !== 'object') return ACCEPT_ALL;
  if (upload.enabled === true) {
    const types = Array.isArray(upload.allowed_file_types) ? (upload.allowed_file_types as unknown[]) : undefined;
    if (types === undefined || types.includes('custom')) return ACCEPT_ALL;
    return { accepts: (type) => types.includes(type) };
  }
  if (upload.image?.enabled === true) return { accepts: (type) => type === 'image' };
  return ACCEPT_NONE;
}

export interface UploadFile {
  readonly bytes: Buffer;
  readonly name: string;
  readonly mime: string;
}

/** `POST /files/upload` and the app's file settings, per agent (dify-api.md §6.1, §6.9). */
export class DifyFiles {
  constructor(
    private readonly http: AxiosInstance,
    private readonly parameters: AppParameters,
  ) {}

  /** When /parameters cannot be read the upload is tried and Dify decides. */
  async capabilities(agent: AgentConfig, signal: AbortSignal): Promise<FileCapabilities> {
    const read = await this.parameters.read(agent, 10_000, signal);
    return read === undefined ? ACCEPT_ALL : capabilitiesFrom(read.data);
  }

  /** Uploads with the same `user` the chat request will use (files are scoped to it); returns the file id. */
  async upload(agent: AgentConfig, user: string, file: UploadFile, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([file.bytes], { type: file.mime }), file.name);
    form.append('user', user);
    const response = await this.http.post<unknown>(`${agent.baseUrl}/files/upload`, form, {
      headers: { Authorization: `Bearer ${agent.apiKey}` },
      validateStatus: () => true,
      maxBodyLength: Infinity,
      timeout: 60_000,
      signal,
    });
    const id = (response.data as { id?: unknown } | null)?.id;
    if ((response.status === 200 || response.status === 201) && typeof id === 'string') return id;
    const text = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? '');
    throw new DifyError(parseErrorBody(response.status, String(response.headers['content-type'] ?? ''), text));
  }
}
