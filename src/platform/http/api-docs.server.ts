/** The API reference page: Swagger UI served from our own origin (no CDN), reading the OpenAPI document. */
export function apiDocsPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Balint Commons API reference</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<main>
<h1 style="font-family:system-ui,sans-serif;margin:16px 20px 0">Balint Commons API reference</h1>
<p style="font-family:system-ui,sans-serif;margin:4px 20px">Machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
<div id="swagger-ui"></div>
</main>
<script src="/api/docs/assets/swagger-ui-bundle.js" nonce="${nonce}"></script>
<script nonce="${nonce}">
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
</script>
</body>
</html>`;
}
