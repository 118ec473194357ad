/**
 * Side endpoints of the fake Dify: GET /info, GET /parameters (dify-api.md §6.9) and the stop
 * endpoints (§6.2).
 */
import type { ServerResponse } from 'node:http';
import { sendDifyError, sendJson } from './responses';
import type { FakeDifyState } from './state';
import type { FakeDifyApp, RunRoute, UploadLimitsMb } from './types';
import { checkRoute, isDifyError, requireUser } from './validation';

export function sendInfo(res: ServerResponse, app: FakeDifyApp): void {
  const name = app.name ?? `Fake ${app.mode} app`;
  sendJson(res, 200, { name, description: '', tags: [], mode: app.mode, author_name: 'fake' });
}

/** A minimal but realistic /parameters object with the fake's upload limits (§6.1, §6.9). */
export function sendParameters(res: ServerResponse, app: FakeDifyApp, limits: UploadLimitsMb): void {
  const defaults = {
    opening_statement: '',
    suggested_questions: [],
    suggested_questions_after_answer: { enabled: false },
    speech_to_text: { enabled: false },
    text_to_speech: { enabled: false, voice: '', language: '' },
    retriever_resource: { enabled: true },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    user_input_form: [],
    sensitive_word_avoidance: { enabled: false, type: '', configs: [] },
    file_upload: {
      image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] },
    },
    system_parameters: {
      // The limits POST /files/upload enforces (configurable, §6.1).
      file_size_limit: limits.file,
      image_file_size_limit: limits.image,
      audio_file_size_limit: limits.audio,
      video_file_size_limit: limits.video,
      workflow_file_upload_limit: 10,
    },
  };
  sendJson(res, 200, { ...defaults, ...app.parameters });
}

/**
 * §6.2: always `{"result":"success"}` once the request is valid. A matching open stream of the
 * same app (and, except for workflows, the same user) is ended with the stop events; a
 * mismatched user is silently ignored, as in Dify.
 */
export function handleStop(
  state: FakeDifyState,
  route: RunRoute,
  taskId: string,
  app: FakeDifyApp,
  body: Record<string, unknown>,
  res: ServerResponse,
): void {
  const user = requireUser(body);
  if (isDifyError(user)) return sendDifyError(res, user);
  const wrongRoute = checkRoute(route, app);
  if (wrongRoute) return sendDifyError(res, wrongRoute);
  const task = state.tasks.get(taskId);
  const userMatches = route === 'workflow' || task?.user === user;
  if (task && task.apiKey === app.apiKey && userMatches) task.stream.stop(task.stopFrames());
  sendJson(res, 200, { result: 'success' });
}
