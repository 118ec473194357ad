// Lint rules of the house (ARCHITECTURE.md "Who imports whom"): typescript-eslint's recommended set,
// no import cycles, and the import direction edges → services → crypto/store as restricted imports.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** A relative import that climbs to one of these app rooms or files. */
const up = (names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;

const restrict = (files, rules) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: rules.map(([names, message]) => ({ regex: up(names), message })) }],
  },
});

const NOT_THE_EDGES = [
  ['routes', 'websocket', 'compose', 'server', 'index'],
  'only the composition root wires the edges; services, store, config and crypto never import them',
];
const NOT_THE_SERVICES = [['services'], 'the store and config are below the services: they never import them'];
const NOT_OUTSIDE_APP = [['tests', 'bench', 'tools'], 'the product never imports its tests or tools'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'tests/helpers/globalSetup.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Byte ranges such as [\x00-\x7f] are how the code tells ASCII, Latin-1 and control characters apart.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    // CommonJS is how a plain .js file here imports (tools/start runs before anything is compiled).
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  restrict(
    ['app/crypto/**'],
    [
      [
        [
          'config',
          'services',
          'store',
          'routes',
          'websocket',
          'compose',
          'server',
          'index',
          'logger',
          'metrics',
          'errors',
        ],
        'crypto is pure: it imports nothing of the app',
      ],
    ],
  ),
  restrict(
    ['app/config/**'],
    [NOT_THE_EDGES, NOT_THE_SERVICES, [['store'], 'config is read before the store opens'], NOT_OUTSIDE_APP],
  ),
  restrict(['app/store/**'], [NOT_THE_EDGES, NOT_THE_SERVICES, NOT_OUTSIDE_APP]),
  restrict(
    ['app/services/wecom/**', 'app/services/wecomApp/**', 'app/services/dify/**', 'app/services/media/**'],
    [
      NOT_THE_EDGES,
      [['intake', 'turn', 'outbox'], 'vendor rooms (wecom, dify, media) are below the turn and the intake'],
      NOT_OUTSIDE_APP,
    ],
  ),
  restrict(
    ['app/services/turn/**'],
    [
      NOT_THE_EDGES,
      [['intake', 'outbox'], 'the turn knows nothing of how a message came in or what else is sent'],
      NOT_OUTSIDE_APP,
    ],
  ),
  restrict(['app/services/intake/**', 'app/services/outbox/**', 'app/services/*.ts'], [NOT_THE_EDGES, NOT_OUTSIDE_APP]),
  restrict(
    ['app/routes/**'],
    [
      [['websocket', 'compose', 'index'], 'an edge never imports the other edge or the composition root'],
      NOT_OUTSIDE_APP,
    ],
  ),
  restrict(
    ['app/websocket/**'],
    [
      [['routes', 'compose', 'server', 'index'], 'an edge never imports the other edge or the composition root'],
      NOT_OUTSIDE_APP,
    ],
  ),
  // People in the loop is a wing with the same rooms (ARCHITECTURE.md "Where the next product goes").
  restrict(
    ['app/hil/store/**'],
    [
      [
        ['services', 'routes', 'websocket', 'compose', 'server', 'index', 'hilHub', 'hilAdminSide', 'hilOaSide'],
        "the hub's store is below its services: it imports only the store and config",
      ],
      NOT_OUTSIDE_APP,
    ],
  ),
  restrict(
    ['app/hil/services/**'],
    [
      [
        ['routes', 'websocket', 'compose', 'server', 'index', 'hilHub', 'hilAdminSide', 'hilOaSide'],
        "the hub's services never import an edge (its routes, the gateway's routes or websocket) or its wiring",
      ],
      NOT_OUTSIDE_APP,
    ],
  ),
  restrict(
    ['app/hil/routes/**'],
    [
      [
        ['websocket', 'compose', 'server', 'index', 'hilHub', 'hilAdminSide', 'hilOaSide'],
        "the hub's routes are an edge",
      ],
      NOT_OUTSIDE_APP,
    ],
  ),
  // The operator console (issue #17): its own rooms, store → views → routes, over the HIL wing's services.
  restrict(
    ['app/console/store/**'],
    [
      [
        ['services', 'routes', 'views', 'websocket', 'compose', 'server', 'index', 'consoleSide', 'hil'],
        "the console's store only reads the gateway's store",
      ],
      NOT_OUTSIDE_APP,
    ],
  ),
  restrict(
    ['app/console/views/**'],
    [
      [
        ['routes', 'websocket', 'compose', 'server', 'index', 'consoleSide'],
        "the console's views render what the routes hand them",
      ],
      NOT_OUTSIDE_APP,
    ],
  ),
  restrict(
    ['app/console/routes/**', 'app/console/*.ts'],
    [
      [['websocket', 'compose', 'server', 'index'], 'the console is an edge: it never imports the other edges'],
      NOT_OUTSIDE_APP,
    ],
  ),
  {
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
