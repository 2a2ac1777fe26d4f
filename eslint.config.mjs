// Lint rules: typed TypeScript rules plus Nx module boundaries. The boundary
// constraints are the architecture's layering (ARCHITECTURE.md §5, rule 3).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const frameworks = ['@nestjs/*', 'typeorm', 'pg', 'express', '@nats-io/*', 'onnxruntime-node', 'pino', 'prom-client'];

export default [
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': ['error', {
        patterns: [
          // A feature folder may import its sibling (`../other/x`); anything further up
          // crosses into another layer or project: use the lib's @vigil/* door.
          { group: ['../../*'], message: 'Parent-relative imports across folders are banned: import through a @vigil/* door.' },
        ],
      }],
      '@nx/enforce-module-boundaries': ['error', {
        enforceBuildableLibDependency: false,
        allow: [],
        depConstraints: [
          // Layering by type.
          { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: frameworks },
          { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', '@nats-io/*', 'onnxruntime-node'] },
          { sourceTag: 'type:ml', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'], bannedExternalImports: frameworks },
          // Pure domain logic over the contracts (the remediation engine): no framework.
          { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'], bannedExternalImports: frameworks },
          { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util'], bannedExternalImports: ['onnxruntime-node'] },
          { sourceTag: 'type:inference', onlyDependOnLibsWithTags: ['type:ml', 'type:contracts', 'type:util', 'type:platform'] },
          { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util', 'type:ml', 'type:inference'], bannedExternalImports: ['onnxruntime-node'] },
          { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:util', 'type:ml', 'type:inference', 'type:testing', 'type:domain'], bannedExternalImports: ['onnxruntime-node'] },
          // Only the inference services, the registry and the CLI run models.
          { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared'] },
          { sourceTag: 'scope:ingestion', onlyDependOnLibsWithTags: ['scope:shared'] },
          { sourceTag: 'scope:self-healing', onlyDependOnLibsWithTags: ['scope:shared'] },
          { sourceTag: 'scope:detection', onlyDependOnLibsWithTags: ['scope:shared', 'scope:inference'] },
          { sourceTag: 'scope:classification', onlyDependOnLibsWithTags: ['scope:shared', 'scope:inference'] },
          { sourceTag: 'scope:model-registry', onlyDependOnLibsWithTags: ['scope:shared', 'scope:inference'] },
          { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', 'scope:inference'] },
          { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: ['scope:shared'] },
          { sourceTag: 'scope:inference', onlyDependOnLibsWithTags: ['scope:shared'] },
          { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        ],
      }],
    },
  },
  {
    // Test files may use the testing lib; production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
