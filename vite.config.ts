import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter()],
  build: { sourcemap: false },
  ssr: {
    // Server-only packages are never bundled into the UI build; the Hono process owns them.
    external: ["@electric-sql/pglite", "pg", "pg-boss", "pino", "nodemailer"],
  },
});
