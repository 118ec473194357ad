import { ConfigError, loadConfig } from '../../../app/config';

describe('loadConfig: the operator console', () => {
  it('hides the message text by default (privacy) and shows it when CONSOLE_SHOW_MESSAGE_TEXT=true', () => {
    expect(loadConfig({}).config.console.showMessageText).toBe(false);
    expect(loadConfig({ CONSOLE_SHOW_MESSAGE_TEXT: 'true' }).config.console.showMessageText).toBe(true);
  });

  it('refuses a value that is no boolean rather than guessing', () => {
    expect(() => loadConfig({ CONSOLE_SHOW_MESSAGE_TEXT: 'maybe' })).toThrow(ConfigError);
  });
});
