// REST routes for verifiable credentials (ADR 018) and the leaders directory.
// Public (no sign-in): the issuer Profile, its JWKS, its status list, verification and the directory.
import { OrgParams, conflictError, createRoute, requireCtx, security, standardErrors, z, type Api } from "../../platform/http/api.server.ts";
import { REVOCATION_REASONS } from "./credential-schema.ts";
import { DirectoryListingInput, IssueCredentialInput, RenewCredentialInput, RevokeCredentialInput, VerifyCredentialInput } from "./credential-schemas.ts";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const tags = ["Credentials"];
const publicTags = ["Credentials (public)"];

const CandidateParams = OrgParams.extend({ candidateId: z.string().max(100).openapi({ param: { name: "candidateId", in: "path" } }) });
const CredentialParams = OrgParams.extend({ credentialId: z.string().max(100).openapi({ param: { name: "credentialId", in: "path" } }) });
const IdParams = z.object({ credentialId: z.string().max(100).openapi({ param: { name: "credentialId", in: "path" } }) });
// Public issuer documents are addressed by `issuerId` (the organisation's id): public by design, not
// an organisation-scoped operation.
const IssuerParams = z.object({ issuerId: z.string().max(100).openapi({ param: { name: "issuerId", in: "path" } }) });
// Any other spelling is a 404 (an unknown list), not a 400.
const ListParams = IssuerParams.extend({ list: z.string().max(40).openapi({ param: { name: "list", in: "path" }, example: "1" }) });

const Issued = z.object({ id: z.string(), jwt: z.string(), credential: z.record(z.string(), z.unknown()) }).openapi("IssuedCredential");
const Summary = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    holderName: z.string(),
    achievementName: z.string(),
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedReason: z.enum(REVOCATION_REASONS).nullable(),
    state: z.enum(["valid", "expired", "not_yet_valid", "revoked"]),
    renewsId: z.string().nullable(),
  })
  .openapi("CredentialSummary");
const Verification = z
  .object({
    status: z.enum(["valid", "expired", "not_yet_valid", "revoked", "tampered", "unknown_issuer", "malformed"]),
    failure: z.string().nullable(),
    credentialId: z.string().nullable(),
    holderName: z.string().nullable(),
    achievementName: z.string().nullable(),
    achievementDescription: z.string().nullable(),
    issuerName: z.string().nullable(),
    issuerId: z.string().nullable(),
    validFrom: z.string().nullable(),
    validUntil: z.string().nullable(),
    revokedAt: z.string().nullable(),
    unverifiedClaims: z.boolean(),
  })
  .openapi("CredentialVerification");
const Listing = z.object({
  displayName: z.string(),
  languages: z.array(z.string()),
  region: z.string(),
  online: z.boolean(),
  inPerson: z.boolean(),
  openToCoLeading: z.boolean(),
  published: z.boolean(),
  updatedAt: z.string(),
});
const MyListing = z.object({ organisationId: z.string(), organisationName: z.string(), eligible: z.boolean(), listing: Listing.nullable() }).openapi("MyDirectoryListing");
const DirectoryEntry = z
  .object({
    organisationId: z.string(),
    organisationName: z.string(),
    displayName: z.string(),
    languages: z.array(z.string()),
    region: z.string(),
    online: z.boolean(),
    inPerson: z.boolean(),
    openToCoLeading: z.boolean(),
    achievements: z.array(z.object({ name: z.string(), credentialId: z.string(), validUntil: z.string().nullable() })),
  })
  .openapi("DirectoryEntry");
const Jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi("Jwks");
const DirectoryQuery = z.object({
  q: z.string().optional(),
  language: z.string().optional(),
  region: z.string().optional(),
  online: z.string().optional(),
  inPerson: z.string().optional(),
  coLeading: z.string().optional(),
});

export function registerCredentialApi(api: Api): void {
  const base = "/orgs/{orgId}/credentials";

  // ---- organisation (coordinators and above) ---------------------------------------------------

  api.openapi(
    createRoute({ method: "get", path: base, tags, summary: "The organisation's issued credentials", security, request: { params: OrgParams }, responses: { 200: json(z.array(Summary), "Credentials"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.credentials.listForOrganisation(ctx.actor, c.req.valid("param").orgId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: `/orgs/{orgId}/candidates/{candidateId}/credentials`,
      tags,
      summary: "Issue an Open Badges 3.0 credential to a candidate (normally done by the committee's approval)",
      security,
      request: { params: CandidateParams, ...body(IssueCredentialInput) },
      responses: { 201: json(Issued, "Issued"), ...standardErrors, ...conflictError },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, candidateId } = c.req.valid("param");
      const issued = await ctx.services.credentials.issue(ctx.actor, orgId, candidateId, c.req.valid("json"), ctx);
      return c.json({ id: issued.id, jwt: issued.jwt, credential: issued.credential as unknown as Record<string, unknown> }, 201);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: `${base}/{credentialId}/revoke`, tags, summary: "Revoke a credential with a reason code (sets its status bit)", security, request: { params: CredentialParams, ...body(RevokeCredentialInput) }, responses: { 200: json(z.object({ id: z.string(), revokedAt: z.string(), reason: z.enum(REVOCATION_REASONS) }), "Revoked"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, credentialId } = c.req.valid("param");
      return c.json(await ctx.services.credentials.revoke(ctx.actor, orgId, credentialId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: `${base}/{credentialId}/renew`, tags, summary: "Issue a renewal of a credential (a new credential pointing at the old one)", security, request: { params: CredentialParams, ...body(RenewCredentialInput) }, responses: { 201: json(Issued, "Issued"), ...standardErrors, ...conflictError } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { orgId, credentialId } = c.req.valid("param");
      const issued = await ctx.services.credentials.renew(ctx.actor, orgId, credentialId, c.req.valid("json"), ctx);
      return c.json({ id: issued.id, jwt: issued.jwt, credential: issued.credential as unknown as Record<string, unknown> }, 201);
    },
  );

  api.openapi(
    createRoute({ method: "post", path: `/orgs/{orgId}/credential-keys/rotate`, tags, summary: "Rotate the organisation's signing key (old keys stay published)", security, request: { params: OrgParams }, responses: { 200: json(z.object({ kid: z.string(), retired: z.string().nullable() }), "Rotated"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.credentials.rotateSigningKey(ctx.actor, c.req.valid("param").orgId, ctx), 200);
    },
  );

  // ---- me --------------------------------------------------------------------------------------

  api.openapi(
    createRoute({ method: "get", path: "/me/credentials", tags, summary: "My credentials", security, responses: { 200: json(z.array(Summary), "Credentials"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.credentials.listMine(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/credentials/{credentialId}/download",
      tags,
      summary: "Download a credential: ?format=jwt (application/vc+jwt) or json (EnvelopedVerifiableCredential). Holder or coordinators.",
      security,
      request: { params: IdParams, query: z.object({ format: z.enum(["jwt", "json"]).default("json") }) },
      responses: { 200: { description: "The credential", content: { "application/vc+jwt": { schema: z.string() }, "application/json": { schema: z.record(z.string(), z.unknown()) } } }, ...standardErrors },
    }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      const { format } = c.req.valid("query");
      const d = await ctx.services.credentials.download(ctx.actor, c.req.valid("param").credentialId);
      if (format === "jwt") return c.body(d.jwt, 200, { "Content-Type": "application/vc+jwt", "Content-Disposition": `attachment; filename="${d.filename}.jwt"`, "Cache-Control": "private, no-store" });
      return c.body(JSON.stringify(d.enveloped, null, 2), 200, { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${d.filename}.json"`, "Cache-Control": "private, no-store" });
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/me/directory-listings", tags, summary: "My directory listings (one per organisation whose credential I hold)", security, responses: { 200: json(z.array(MyListing), "Listings"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.credentials.myListings(ctx.actor), 200);
    },
  );

  api.openapi(
    createRoute({ method: "put", path: "/me/directory-listings/{orgId}", tags, summary: "Create or update my listing (needs a valid credential of the organisation)", security, request: { params: OrgParams, ...body(DirectoryListingInput) }, responses: { 200: json(Listing.omit({}), "Saved"), ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      return c.json(await ctx.services.credentials.saveListing(ctx.actor, c.req.valid("param").orgId, c.req.valid("json"), ctx), 200);
    },
  );

  api.openapi(
    createRoute({ method: "delete", path: "/me/directory-listings/{orgId}", tags, summary: "Remove my listing", security, request: { params: OrgParams }, responses: { 204: { description: "Removed" }, ...standardErrors } }),
    async (c) => {
      const ctx = requireCtx(c.var.ctx);
      await ctx.services.credentials.removeListing(ctx.actor, c.req.valid("param").orgId, ctx);
      return c.body(null, 204);
    },
  );

  // ---- public ----------------------------------------------------------------------------------

  api.openapi(
    createRoute({ method: "get", path: "/issuers/{issuerId}", tags: publicTags, summary: "The issuer Profile (the credentials' issuer.id)", request: { params: IssuerParams }, responses: { 200: json(z.record(z.string(), z.unknown()), "Profile"), 404: standardErrors[404] } }),
    async (c) => c.json(await c.var.ctx.services.credentials.issuerProfile(c.req.valid("param").issuerId), 200, { "Cache-Control": "public, max-age=300" }),
  );

  api.openapi(
    createRoute({ method: "get", path: "/issuers/{issuerId}/jwks.json", tags: publicTags, summary: "The issuer's public keys (active and retired) as a JWKS", request: { params: IssuerParams }, responses: { 200: json(Jwks, "JWKS"), 404: standardErrors[404] } }),
    async (c) => c.json((await c.var.ctx.services.credentials.jwks(c.req.valid("param").issuerId)) as { keys: Record<string, unknown>[] }, 200, { "Cache-Control": "public, max-age=300" }),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/issuers/{issuerId}/status/{list}",
      tags: publicTags,
      summary: "The issuer's Bitstring Status List credential: /status/1 signed (application/vc+jwt), /status/1.json unsigned",
      request: { params: ListParams },
      responses: { 200: { description: "Status list credential", content: { "application/vc+jwt": { schema: z.string() }, "application/json": { schema: z.record(z.string(), z.unknown()) } } }, 404: standardErrors[404] },
    }),
    async (c) => {
      const { issuerId, list } = c.req.valid("param");
      const m = /^([1-9][0-9]{0,5})(\.json)?$/.exec(list);
      if (!m) return c.json({ error: { code: "not_found", message: "Unknown status list." } }, 404);
      const asJson = m[2] !== undefined;
      const result = await c.var.ctx.services.credentials.statusList(issuerId, Number(m[1]));
      const headers = { "Cache-Control": "public, max-age=60" };
      if (asJson) return c.json(result.json, 200, headers);
      return c.body(result.jwt, 200, { ...headers, "Content-Type": "application/vc+jwt" });
    },
  );

  api.openapi(
    createRoute({ method: "post", path: "/credentials/verify", tags: publicTags, summary: "Verify a credential (compact JWS or EnvelopedVerifiableCredential JSON as a string)", request: body(VerifyCredentialInput), responses: { 200: json(Verification, "Result"), 400: standardErrors[400] } }),
    async (c) => c.json(await c.var.ctx.services.credentials.verify(c.req.valid("json")), 200),
  );

  api.openapi(
    createRoute({ method: "get", path: "/credentials/{credentialId}/verification", tags: publicTags, summary: "Verify an issued credential by id", request: { params: IdParams }, responses: { 200: json(Verification, "Result"), 404: standardErrors[404] } }),
    async (c) => {
      const result = await c.var.ctx.services.credentials.verifyIssued(c.req.valid("param").credentialId);
      if (!result) return c.json({ error: { code: "not_found", message: "That credential was not found." } }, 404);
      return c.json(result, 200);
    },
  );

  api.openapi(
    createRoute({ method: "get", path: "/leaders", tags: publicTags, summary: "Search the public directory of accredited leaders", request: { query: DirectoryQuery }, responses: { 200: json(z.array(DirectoryEntry), "Leaders"), 400: standardErrors[400] } }),
    async (c) => c.json(await c.var.ctx.services.credentials.searchDirectory(c.req.valid("query")), 200),
  );
}
