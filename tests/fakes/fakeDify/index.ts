/**
 * Public API of the fake Dify Service API used by the integration tests (dify-api.md §9).
 * Independent of app/: it encodes Dify's behaviour from the reference, not from our client.
 * Also serves uploads (§6.1) and signed tool files (§4.7).
 */
export { startFakeDify } from './server';
export { legacyJson } from './encoding';
export type {
  Chunking,
  DifyMode,
  FakeForm,
  FormSubmission,
  HumanInputScript,
  FakeDify,
  FakeDifyApp,
  JsonStyle,
  RecordedRequest,
  ScriptedEvent,
  ScriptedReply,
  ServedFile,
  ServeFileOptions,
  StartFakeDifyOptions,
  StreamEnd,
  UploadLimitsMb,
  UploadRecord,
} from './types';
