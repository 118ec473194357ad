import type { Logger } from 'pino';
import type { AgentConfig, Config } from '../../config';
import type { AppModes } from '../dify/appModes';
import { DifyError, describeFailure } from '../dify/difyErrors';
import type { DifyFiles, FileCapabilities } from '../dify/difyFiles';
import { type DifyFileInput, acceptsFiles } from '../dify/runRequest';
import { type DownloadResult, downloadAttachments } from '../media/inboundMedia';
import type { Attachment } from '../wecom/turnQuery';
import { type AttachmentOutcome, attachmentLabel } from './queryText';

export interface PreparedMedia {
  /** For the chat request's `files` (dify-api.md §2), in the order the user sent them. */
  readonly files: readonly DifyFileInput[];
  /** Per attachment, for the markers in the query. */
  readonly outcomes: readonly AttachmentOutcome[];
  /** What the user is told about attachments that were left out. */
  readonly notices: readonly string[];
}

export const NO_MEDIA: PreparedMedia = { files: [], outcomes: [], notices: [] };

function fill(template: string, name: string): string {
  return template.replace('{name}', name);
}

/**
 * The user's images and files for one turn: downloaded and decrypted at once (WeCom URLs expire in
 * 5 minutes, wecom-aibot-protocol.md §10), then uploaded to Dify with the turn's `user` when the app
 * takes that kind of file. A failure drops that attachment only, and the user is told which one.
 */
export class TurnMedia {
  constructor(
    private readonly deps: {
      config: Config;
      files: DifyFiles;
      modes: AppModes;
      logger: Logger;
      onBytes?: (bytes: number) => void;
    },
  ) {}

  download(
    attachments: readonly Attachment[],
    botKey: Buffer | undefined,
    signal: AbortSignal,
  ): Promise<DownloadResult[]> {
    if (attachments.length === 0) return Promise.resolve([]);
    return downloadAttachments(attachments, botKey, this.deps.config.media, signal).then((results) => {
      for (const result of results) if (result.ok) this.deps.onBytes?.(result.file.bytes.length);
      return results;
    });
  }

  async upload(
    attachments: readonly Attachment[],
    downloads: readonly DownloadResult[],
    agent: AgentConfig,
    user: string,
    signal: AbortSignal,
  ): Promise<PreparedMedia> {
    if (attachments.length === 0) return NO_MEDIA;
    const { texts } = this.deps.config;
    const mode = await this.deps.modes.modeOf(agent, signal);
    const capabilities: FileCapabilities = acceptsFiles(agent, mode)
      ? await this.deps.files.capabilities(agent, signal)
      : { accepts: () => false };
    const files: DifyFileInput[] = [];
    const outcomes: AttachmentOutcome[] = [];
    const notices: string[] = [];
    for (const [index, download] of downloads.entries()) {
      const label = attachmentLabel(attachments, index);
      if (!download.ok) {
        this.deps.logger.warn(
          { agent: agent.id, attachment: index, reason: download.reason },
          'attachment could not be downloaded',
        );
        outcomes.push({ ok: false, name: undefined });
        notices.push(fill(texts.ATTACHMENT_FAILED, label));
        continue;
      }
      const { file } = download;
      if (!capabilities.accepts(file.difyType)) {
        outcomes.push({ ok: false, name: file.name });
        notices.push(fill(texts.ATTACHMENT_NOT_ACCEPTED, label));
        continue;
      }
      const id = await this.uploadOne(agent, user, file, signal, index);
      outcomes.push({ ok: id !== undefined, name: file.name });
      if (id === undefined) notices.push(fill(texts.ATTACHMENT_FAILED, label));
      else files.push({ type: file.difyType, transfer_method: 'local_file', upload_file_id: id });
    }
    return { files, outcomes, notices };
  }

  private async uploadOne(
    agent: AgentConfig,
    user: string,
    file: { bytes: Buffer; name: string; mime: string },
    signal: AbortSignal,
    index: number,
  ): Promise<string | undefined> {
    try {
      return await this.deps.files.upload(agent, user, file, signal);
    } catch (err) {
      const cause = err instanceof DifyError ? describeFailure(err.failure) : (err as Error).message;
      this.deps.logger.warn(
        { agent: agent.id, attachment: index, bytes: file.bytes.length, cause },
        'attachment upload to Dify failed',
      );
      return undefined;
    }
  }
}
