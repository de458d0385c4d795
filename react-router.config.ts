import type { Config } from "@react-router/dev/config";

// The UI lives in src/ (root.tsx, routes.ts, entry files); feature slices keep their own
// route modules under src/features/<slice>/ui/. Server rendering is always on.
export default {
  appDirectory: "src",
  buildDirectory: "build",
  ssr: true,
} satisfies Config;
