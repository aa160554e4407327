import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "**/node_modules/",
      "cdktf.out/",
      "terraform/",
      "**/dist/",
      "coverage/",
      "api/drizzle/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-aws",
              message:
                "Import by deep path (@cdktf/provider-aws/lib/<resource>): the root loads ~2,200 classes.",
            },
            {
              name: "@cdktf/provider-helm",
              message: "Import by deep path (@cdktf/provider-helm/lib/<resource>).",
            },
            {
              name: "@cdktf/provider-kubernetes",
              message: "Import by deep path (@cdktf/provider-kubernetes/lib/<resource>).",
            },
          ],
        },
      ],
    },
  },
);
