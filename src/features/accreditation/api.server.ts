// REST routes of the accreditation core: pathways, candidates, evidence (with upload), progress and
// the portfolio PDF. Supervision / review / credential routes live in their own files.
import { AppError } from "../../platform/http/errors.ts";
import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { IDENTIFIER_KINDS } from "../debrief/identifier-check.ts";
import { DecideEvidenceInput } from "./evidence.ts";
import { CreatePathwayInput, EnrolInput, MoveCandidateInput, SaveDraftInput } from "./pathway-schemas.ts";

const tags = ["Accreditation"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const Any = z.any();
// The definition is validated by the service (after authorisation), so issues name `definition.<path>`.
const Definition = z.record(z.string(), z.unknown()).openapi({ description: "A pathway definition: { title, summary?, requirements: [...] } (see pathway.ts)." });
const uuidParam = (name: string) => z.uuid({ message: `must be a ${name} (UUID)` }).openapi({ param: { name, in: "path" } });
const PathwayParams = OrgParams.extend({ pathwayId: uuidParam("pathwayId") });
const VersionParams = PathwayParams.extend({ versionId: uuidParam("versionId") });
const CandidateParams = OrgParams.extend({ candidateId: uuidParam("candidateId") });
const EvidenceParams = OrgParams.extend({ evidenceId: uuidParam("evidenceId") });
const Finding = z.object({ kind: z.enum(IDENTIFIER_KINDS), start: z.number().int(), end: z.number().int(), text: z.string() });
const FindingsError = z.object({ error: z.object({ code: z.literal("identifiers_found"), message: z.string() }), findings: z.array(Finding) }).openapi("EvidenceFindings");
const tooLarge = { 413: json(z.any(), "The file is larger than 5 MB."), 415: json(z.any(), "Only PDF, PNG and JPEG files are accepted (sniffed from the content).") };
const meta = (ctx: { ipAddress: string | null; requestId: string }) => ({ ipAddress: ctx.ipAddress, requestId: ctx.requestId });
const download = (bytes: Uint8Array, type: string, filename: string) =>
  new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { "Content-Type": type, "Content-Disposition": `attachment; filename="${filename}"`, "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store", "Content-Security-Policy": "default-src 'none'; sandbox" },
  });

/** Evidence as JSON, or multipart/form-data with a `file` part and the other fields as form fields. */
async function readEvidenceRequest(req: Request): Promise<{ input: unknown; file: Uint8Array | null }> {
  const type = req.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new AppError("validation_failed", "The form could not be read.", [{ path: "file", message: "unreadable form" }]);
    }
    const file = form.get("file");
    const input: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) {
      if (k === "file" || typeof v !== "string" || v === "") continue;
      input[k] = k === "finalCredentialing" || k === "acknowledgeFindings" ? v === "true" || v === "on" : v;
    }
    const bytes = file && typeof file !== "string" && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
    return { input, file: bytes };
  }
  const text = await req.text();
  if (!text) return { input: undefined, file: null };
  try {
    return { input: JSON.parse(text) as unknown, file: null };
  } catch {
    throw new AppError("malformed_json", "The request body is not valid JSON.");
  }
}

export function registerAccreditationApi(api: Api): void {
  api.openapi(createRoute({ method: "get", path: "/me/accreditation", tags, summary: "My candidacies with progress", security, responses: { 200: json(Any, "Candidacies"), ...standardErrors } }), async (c) => {
    const ctx = requireCtx(c.var.ctx);
    return c.json(await ctx.services.accreditation.myCandidacies(ctx.actor), 200);
  });

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/accreditation/pathways", tags, summary: "Pathways (members: published; coordinators: all versions)", security, request: { params: OrgParams }, responses: { 200: json(Any, "Pathways"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.accreditation.listPathways(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/accreditation/pathways", tags, summary: "Create a pathway (coordinators)", description: "The definition is validated; issues name `definition.<path>`.", security, request: { params: OrgParams, ...body(CreatePathwayInput.extend({ definition: Definition })) }, responses: { 201: json(Any, "Created"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.accreditation.createPathway(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), meta(ctx)), 201);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/accreditation/pathways/examples", tags, summary: "Install the example pathways (coordinators)", description: "ABS-like, UK Balint Society (before 2023) and BSANZ examples — check against each society's current rules.", security, request: { params: OrgParams }, responses: { 200: json(Any, "Installed keys"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.accreditation.installExamples(ctx.actor, c.req.valid("param").orgId, meta(ctx)), 200);
    },
  );

  api.openapi(
    createRoute({ method: "put", path: "/orgs/{orgId}/accreditation/pathways/{pathwayId}/draft", tags, summary: "Save a draft version (coordinators)", description: "Edits the current draft, or starts a new version when the latest is published.", security, request: { params: PathwayParams, ...body(SaveDraftInput.extend({ definition: Definition })) }, responses: { 200: json(Any, "Draft"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.accreditation.saveDraft(ctx.actor, p.orgId, p.pathwayId, c.req.valid("json"), meta(ctx)), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/accreditation/pathways/{pathwayId}/versions/{versionId}/publish", tags, summary: "Publish a draft version (coordinators)", security, request: { params: VersionParams }, responses: { 200: json(Any, "Published"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.accreditation.publishVersion(ctx.actor, p.orgId, p.pathwayId, p.versionId, meta(ctx)), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/accreditation/candidates", tags, summary: "Enrol myself on a pathway", description: "On its latest published version; 409 when already enrolled.", security, request: { params: OrgParams, ...body(EnrolInput) }, responses: { 201: json(Any, "Candidacy"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.accreditation.enrol(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), meta(ctx)), 201);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/accreditation/candidates", tags, summary: "Every candidate with progress (coordinators, supervisors)", security, request: { params: OrgParams }, responses: { 200: json(Any, "Candidates"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.accreditation.candidates(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/accreditation/candidates/{candidateId}", tags, summary: "One candidacy's progress and evidence (the candidate, coordinators, supervisors)", security, request: { params: CandidateParams }, responses: { 200: json(Any, "Progress"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.accreditation.progress(ctx.actor, p.orgId, p.candidateId), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/accreditation/candidates/{candidateId}/move", tags, summary: "Move a candidate to another published version (coordinators; recorded)", security, request: { params: CandidateParams, ...body(MoveCandidateInput) }, responses: { 200: json(Any, "Candidacy"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.accreditation.moveCandidate(ctx.actor, p.orgId, p.candidateId, c.req.valid("json"), meta(ctx)), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/accreditation/candidates/{candidateId}/withdraw", tags, summary: "Withdraw my candidacy", security, request: { params: CandidateParams }, responses: { 200: json(Any, "Withdrawn"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.accreditation.withdraw(ctx.actor, p.orgId, p.candidateId, meta(ctx)), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/orgs/{orgId}/accreditation/candidates/{candidateId}/evidence",
      tags,
      summary: "Add evidence to my candidacy (JSON, or multipart with a `file`)",
      description:
        "Only the candidate (another person's candidacy: 403 for coordinators, 404 otherwise). The description is checked for identifiers (422 with findings unless `acknowledgeFindings`). The same meeting or item twice: 409. Files: PDF, PNG or JPEG (sniffed), at most 5 MB.",
      security,
      // The body (JSON per `AccreditationEvidenceInput`, or multipart/form-data with the same fields and
      // a `file`) is read by the handler, so that who may add evidence is decided before its content.
      request: { params: CandidateParams },
      responses: { 201: json(Any, "Evidence"), 422: json(FindingsError, "Identifiers found"), ...standardErrors, ...conflictError, ...tooLarge },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      const { input, file } = await readEvidenceRequest(c.req.raw);
      const r = await ctx.services.accreditation.addEvidence(ctx.actor, p.orgId, p.candidateId, input, file, meta(ctx));
      if (r.outcome === "findings") return c.json({ error: { code: "identifiers_found" as const, message: "The description looks like it names someone or holds an identifier." }, findings: r.findings }, 422);
      return c.json(r.evidence, 201);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/accreditation/evidence", tags, summary: "Pending evidence to review (coordinators, supervisors)", security, request: { params: OrgParams }, responses: { 200: json(Any, "Queue"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.accreditation.reviewQueue(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/orgs/{orgId}/accreditation/evidence/{evidenceId}/decision", tags, summary: "Verify or reject evidence with a reason (coordinators, supervisors; audited)", security, request: { params: EvidenceParams, ...body(DecideEvidenceInput) }, responses: { 200: json(Any, "Decided"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      return c.json(await ctx.services.accreditation.decideEvidence(ctx.actor, p.orgId, p.evidenceId, c.req.valid("json"), meta(ctx)), 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/accreditation/evidence/{evidenceId}/file", tags, summary: "Download an evidence file (the candidate, coordinators, supervisors)", description: "Always as an attachment with nosniff.", security, request: { params: EvidenceParams }, responses: { 200: { description: "The file", content: { "application/octet-stream": { schema: z.string() } } }, ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      const f = await ctx.services.accreditation.evidenceFile(ctx.actor, p.orgId, p.evidenceId);
      return download(f.bytes, f.type, f.filename);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/orgs/{orgId}/accreditation/candidates/{candidateId}/portfolio.pdf", tags, summary: "Portfolio as PDF (the candidate, coordinators, supervisors)", security, request: { params: CandidateParams }, responses: { 200: { description: "PDF", content: { "application/pdf": { schema: z.string() } } }, ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const p = c.req.valid("param");
      const f = await ctx.services.accreditation.portfolioPdf(ctx.actor, p.orgId, p.candidateId);
      return download(f.bytes, "application/pdf", f.filename);
    },
  );
}
