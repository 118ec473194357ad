import type { Logger } from 'pino';
import type { Config } from '../config';
import { errorFields } from '../logger';
import { answerForm } from '../services/dify/difyHumanInput';
import type { DifyRunDeps } from '../services/dify/difyRun';
import type { Claimants } from '../services/intake/claimants';
import type { PausedForms } from '../services/turn/pausedForms';
import type { Database } from '../store/database';
import { ActionCapture } from './services/actionCapture';
import { formAnswerOf } from './services/difyFormAnswer';
import { DifyFormAsk } from './services/difyFormAsk';
import { DifyFormResume } from './services/difyFormResume';
import type { HilAnswers } from './services/hilAnswers';
import type { HilAsk } from './services/hilAsk';
import type { HilDelivery } from './services/hilDelivery';
import type { RequestSignals } from './services/requestSignals';
import type { HilRequests } from './store/hilRequests';
import { SqlDifyForms } from './store/sqlDifyForms';

export interface DifyFormSideDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly requests: HilRequests;
  readonly answers: HilAnswers;
  readonly ask: HilAsk;
  readonly delivery: HilDelivery;
  readonly signals: RequestSignals;
  readonly claimants: Claimants;
  readonly pausedForms: PausedForms;
  readonly dify: DifyRunDeps;
  readonly now: () => number;
}

/**
 * Dify's Human Input node answered in the chat (issue #15 scope 4, docs/dify-human-input.md): a turn that
 * pauses at a form hands it over (PausedForms), it becomes a request in the same chat, clicks on its action
 * buttons are claimed, and an ended request submits the form and sends the resumed answer. The sweep
 * settles forms answered on another instance or left by a dead one.
 */
export function difyFormSide(deps: DifyFormSideDeps): { start(): void; stop(): void } {
  const { config, logger, dify, now } = deps;
  const forms = new SqlDifyForms(deps.db);
  const asker = new DifyFormAsk({ config, ask: deps.ask, forms, now });
  const resume = new DifyFormResume({
    config,
    requests: deps.requests,
    forms,
    delivery: deps.delivery,
    answer: async (request, meta, agentId, signal) => {
      const agent = config.agents.byId.get(agentId);
      if (agent === undefined) return undefined;
      const run = { workflowRunId: meta.workflow_run_id, formToken: meta.form_token };
      return answerForm(dify, agent, run, formAnswerOf(request, meta), signal);
    },
    handOn: asker.handle,
    logger,
    now,
  });
  deps.pausedForms.register(asker.handle);
  deps.claimants.add(new ActionCapture({ config, requests: deps.requests, answers: deps.answers, followUp: resume }));
  deps.signals.onChange(resume.onChange);
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      timer = setInterval(() => {
        resume.sweep().catch((err: unknown) => logger.error({ err: errorFields(err) }, 'Dify form sweep failed'));
      }, config.hil.expirySweepMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
