import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/org-group";
import { getRequestContext } from "../../../ui/request-context.ts";
import { formValues } from "../../../ui/actions.ts";
import { ErrorSummary, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { loadOr, NoticeBanner, OrgPageError, attempt, type Notice } from "../../organisations/ui/shared.tsx";
import { WAITLIST_REORDER_REASONS } from "../constants.ts";
import { FREQUENCIES, formValuesOfGroup, groupInputFromForm, scheduleFromForm } from "./form-input.ts";
import { GroupForm, useGroupFormLabels } from "./group-form.tsx";
import { leaderCandidates, saveGroup } from "./org-shared.ts";
import { GroupFacts, ScheduleText } from "./shared.tsx";
import groupStyles from "./groups.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.groups;
  const url = new URL(request.url);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const group = await loadOr(request, () => svc.get(ctx.actor, org.id, params.groupId));
  const manages = org.permissions.includes("groups:manage");
  const leads = manages || group.myStatus === "leader" || group.myStatus === "co_leader";
  // Members and others have the group's own page.
  if (!leads) throw redirect(`/groups/${org.slug}/${group.slug}`);
  const [members, waitlist, candidates, notices, meetings, pauses] = await Promise.all([
    loadOr(request, () => svc.members(ctx.actor, org.id, group.id)),
    loadOr(request, () => svc.waitlist(ctx.actor, org.id, group.id)),
    manages ? loadOr(request, () => leaderCandidates(ctx, org.id)) : Promise.resolve([]),
    loadOr(request, () => ctx.services.sessions.noticesFor(ctx.actor, org.id, group.id)),
    loadOr(request, () => ctx.services.sessions.upcoming(ctx.actor, org.id, group.id)),
    loadOr(request, () => ctx.services.sessions.listPauses(ctx.actor, org.id, group.id)),
  ]);
  return {
    org: { slug: org.slug, timeZone: org.timeZone },
    group,
    manages,
    members: members.items,
    waitlist: waitlist.items,
    candidates,
    notices: notices.items,
    meetings: meetings.items.map((m) => ({ occurrenceStart: m.occurrenceStart, start: m.start, status: m.status })),
    pauses: pauses.items,
    editing: url.searchParams.get("edit") === "1",
    created: url.searchParams.get("created") === "1",
    confirm: { remove: url.searchParams.get("remove"), archive: url.searchParams.get("archive") === "1", endTerm: url.searchParams.get("endTerm") === "1" },
  };
}

type ManageAction = ActionResult<{ notice: Notice }> & { form?: string };

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.groups;
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const group = await loadOr(request, () => svc.get(ctx.actor, org.id, params.groupId));
  const form = await request.formData();
  const values = formValues(form);
  const intent = values["intent"] ?? "";
  const userId = values["userId"] ?? "";
  const name = values["name"] ?? "";
  const done = (id: string, extra: Record<string, string | number> = {}) => ({ ok: true as const, data: { notice: { id, values: { name, group: group.name, ...extra } } } });
  const fail = (r: { status: number; failure: ActionResult & { ok: false } }, formName = intent) => data({ ...r.failure, form: formName } satisfies ManageAction, { status: r.status });
  if (intent === "decide") {
    const decision = values["decision"] ?? "";
    const r = await attempt(() => svc.decide(ctx.actor, org.id, group.id, userId, { decision }, ctx), values);
    if (!r.ok) return fail(r);
    return done(decision === "approve" ? "groups.manage.approved" : "groups.manage.declined");
  }
  if (intent === "remove") {
    const r = await attempt(() => svc.removeMember(ctx.actor, org.id, group.id, userId, ctx), values);
    if (!r.ok) return fail(r);
    return done("groups.manage.removed");
  }
  if (intent === "reorder") {
    const position = Number(values["position"]);
    const r = await attempt(() => svc.reorderWaitlist(ctx.actor, org.id, group.id, userId, { position: Number.isFinite(position) ? position : values["position"], reason: values["reason"] ?? "" }, ctx), values);
    if (!r.ok) return fail(r);
    return done("groups.manage.reordered");
  }
  if (intent === "archive") {
    const r = await attempt(() => svc.archive(ctx.actor, org.id, group.id, ctx), values);
    if (!r.ok) return fail(r);
    return done("groups.manage.archivedNotice");
  }
  if (intent === "endTerm") {
    const r = await attempt(() => svc.endTerm(ctx.actor, org.id, group.id, ctx), values);
    if (!r.ok) return fail(r);
    return done("groups.manage.termEndedNotice");
  }
  if (intent === "newTerm") {
    const r = await saveGroup(() => svc.startNewTerm(ctx.actor, org.id, group.id, { sameMembers: true, schedule: scheduleFromForm(values) }, ctx), values);
    if (!r.ok) return fail(r);
    return done("groups.manage.termStartedNotice", { term: r.value.term });
  }
  if (intent === "pause") {
    const r = await attempt(() => ctx.services.sessions.pause(ctx.actor, org.id, group.id, { startDate: values["startDate"] ?? "", endDate: values["endDate"] ?? "" }, ctx), values);
    if (!r.ok) return fail(r);
    return done("groups.manage.pausedNotice", { from: r.value.startDate, to: r.value.endDate });
  }
  if (intent === "resume") {
    const r = await attempt(() => ctx.services.sessions.resume(ctx.actor, org.id, group.id, values["pauseId"] ?? "", ctx), values);
    if (!r.ok) return fail(r);
    return done("groups.manage.resumedNotice");
  }
  if (intent === "save") {
    values["languages"] = form.getAll("languages").filter((x) => typeof x === "string").join(",");
    const manages = org.permissions.includes("groups:manage");
    let input: Record<string, unknown>;
    if (manages) {
      input = groupInputFromForm(values, form);
      delete input["slug"];
    } else {
      input = { description: (values["description"] ?? "").trim(), meetingLink: (values["meetingLink"] ?? "").trim() || null };
    }
    const r = await saveGroup(() => svc.update(ctx.actor, org.id, group.id, input, ctx), values);
    if (!r.ok) return fail(r, "save");
    return done("groups.manage.saved");
  }
  return data({ ok: false, message: "Unknown action.", fields: [] } satisfies ManageAction, { status: 400 });
}

export { OrgPageError as ErrorBoundary };

export default function ManageGroup({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { org, group, manages, members, waitlist, candidates, notices, meetings, pauses, editing, created, confirm } = loaderData;
  const result = actionData as ManageAction | undefined;
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const base = `/o/${org.slug}/groups/${group.id}`;
  const labels = useGroupFormLabels();
  const notice = result?.ok ? (result.data?.notice ?? null) : created ? { id: "groups.manage.createdNotice", values: { group: group.name } } : null;
  const pending = members.filter((m) => m.status === "pending");
  const active = members.filter((m) => m.status === "active");
  const removing = confirm.remove ? active.find((m) => m.userId === confirm.remove) : undefined;
  const formResult = result && !result.ok && result.form === "save" ? result : undefined;
  const otherResult = result && !result.ok && result.form !== "save" ? result : undefined;
  const editValues = formResult?.values ? { ...formResult.values, editing: "1" } : { ...formValuesOfGroup(group), editing: "1" };
  const archived = group.archivedAt !== null;
  return (
    <section aria-labelledby="group-title">
      <h2 id="group-title">{group.name}</h2>
      <NoticeBanner notice={notice} />
      <ErrorSummary result={otherResult} labels={{ ...labels, position: t("groups.manage.position"), reason: t("groups.manage.reason") }} />
      <p>
        <Link to={`/groups/${org.slug}/${group.slug}`}>
          <FormattedMessage id="groups.manage.publicPage" />
        </Link>
        {(group.myStatus === "leader" || group.myStatus === "co_leader") && (
          <>
            {" · "}
            <Link to={`/o/${org.slug}/groups/${group.id}/feedback`}>
              <FormattedMessage id="groups.manage.feedbackLink" />
            </Link>
          </>
        )}
        {archived && (
          <>
            {" "}
            <span className="tag">
              <FormattedMessage id="groups.org.archived" />
            </span>
          </>
        )}
      </p>
      <div className="card">
        <GroupFacts group={group} />
        <p>
          <ScheduleText schedule={group.schedule} timeZone={group.timeZone} />
        </p>
        <p>
          <FormattedMessage id="groups.manage.seatsLine" values={{ active: group.activeMembers, capacity: group.capacity, term: group.term }} />
        </p>
      </div>

      <h3 id="pending-title">
        <FormattedMessage id="groups.manage.pendingTitle" values={{ count: pending.length }} />
      </h3>
      {pending.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="groups.manage.pendingEmpty" />
        </p>
      ) : (
        <ul className="grid" aria-labelledby="pending-title">
          {pending.map((m) => (
            <li key={m.userId} className="card">
              <p>
                <strong>{m.name}</strong>
                {m.requestedAt && (
                  <>
                    {" · "}
                    {intl.formatDate(new Date(m.requestedAt), { dateStyle: "medium" })}
                  </>
                )}
              </p>
              <p>{m.requestNote ? m.requestNote : <FormattedMessage id="groups.manage.noNote" />}</p>
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="userId" value={m.userId} />
                <input type="hidden" name="name" value={m.name} />
                <button type="submit" name="decision" value="approve" aria-label={t("groups.manage.approveLabel", { name: m.name })}>
                  <FormattedMessage id="groups.manage.approve" />
                </button>
                <button type="submit" name="decision" value="decline" className="button--secondary" aria-label={t("groups.manage.declineLabel", { name: m.name })}>
                  <FormattedMessage id="groups.manage.decline" />
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}

      <h3 id="roster-title">
        <FormattedMessage id="groups.manage.rosterTitle" values={{ count: active.length }} />
      </h3>
      {removing && (
        <div className="card" role="alertdialog" aria-labelledby="remove-title">
          <p id="remove-title">
            <FormattedMessage id="groups.manage.removeConfirm" values={{ name: removing.name }} />
          </p>
          <Form method="post" action={base} className="actions">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="userId" value={removing.userId} />
            <input type="hidden" name="name" value={removing.name} />
            <button type="submit" className="button--danger">
              <FormattedMessage id="groups.manage.removeYes" />
            </button>
            <Link to={base}>
              <FormattedMessage id="common.cancel" />
            </Link>
          </Form>
        </div>
      )}
      {active.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="groups.manage.rosterEmpty" />
        </p>
      ) : (
        <div className="table-wrap">
          <table aria-labelledby="roster-title">
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="groups.manage.colName" />
                </th>
                <th scope="col">
                  <FormattedMessage id="groups.manage.colAgreement" />
                </th>
                <th scope="col">
                  <FormattedMessage id="groups.manage.colActions" />
                </th>
              </tr>
            </thead>
            <tbody>
              {active.map((m) => (
                <tr key={m.userId}>
                  <td>{m.name}</td>
                  <td>
                    <FormattedMessage id={m.agreementAccepted ? "groups.manage.agreed" : "groups.manage.notAgreed"} />
                  </td>
                  <td>
                    <Link to={`${base}?remove=${encodeURIComponent(m.userId)}`} aria-label={t("groups.manage.removeLabel", { name: m.name })}>
                      <FormattedMessage id="groups.manage.remove" />
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 id="waitlist-title">
        <FormattedMessage id="groups.manage.waitlistTitle" values={{ count: waitlist.length }} />
      </h3>
      {waitlist.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="groups.manage.waitlistEmpty" />
        </p>
      ) : (
        <ol aria-labelledby="waitlist-title">
          {waitlist.map((w) => (
            <li key={w.userId} className="card">
              <p>
                <strong>{w.name}</strong>
                {w.offerExpiresAt && (
                  <>
                    {" · "}
                    <FormattedMessage id="groups.manage.offerOpen" values={{ expires: intl.formatDate(new Date(w.offerExpiresAt), { dateStyle: "medium", timeStyle: "short" }) }} />
                  </>
                )}
                {w.reorderReason && (
                  <>
                    {" · "}
                    <FormattedMessage id={`groups.reorderReason.${w.reorderReason}`} />
                  </>
                )}
              </p>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="reorder" />
                <input type="hidden" name="userId" value={w.userId} />
                <input type="hidden" name="name" value={w.name} />
                <label htmlFor={`reason-${w.userId}`}>
                  <FormattedMessage id="groups.manage.reason" />
                </label>
                <select id={`reason-${w.userId}`} name="reason" defaultValue="schedule_fit">
                  {WAITLIST_REORDER_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`groups.reorderReason.${r}`)}
                    </option>
                  ))}
                </select>
                {w.position > 1 && (
                  <button type="submit" name="position" value={w.position - 1} className="button--secondary" aria-label={t("groups.manage.moveUpLabel", { name: w.name })}>
                    <FormattedMessage id="groups.manage.moveUp" />
                  </button>
                )}
                {w.position < waitlist.length && (
                  <button type="submit" name="position" value={w.position + 1} className="button--secondary" aria-label={t("groups.manage.moveDownLabel", { name: w.name })}>
                    <FormattedMessage id="groups.manage.moveDown" />
                  </button>
                )}
              </Form>
            </li>
          ))}
        </ol>
      )}

      <h3 id="edit-title">
        <FormattedMessage id="groups.manage.editTitle" />
      </h3>
      {editing || formResult ? (
        <GroupForm values={editValues} result={formResult} candidates={candidates} submitLabel={t("groups.form.save")} coordinator={manages} timeZoneDefault={org.timeZone} />
      ) : (
        <p>
          <Link to={`${base}?edit=1`}>
            <FormattedMessage id="groups.manage.edit" />
          </Link>
        </p>
      )}

      <h3 id="term-title">
        <FormattedMessage id="groups.manage.termTitle" values={{ term: group.term }} />
      </h3>
      {group.termEndedAt === null ? (
        confirm.endTerm ? (
          <div className="card" role="alertdialog" aria-labelledby="end-term-confirm">
            <p id="end-term-confirm">
              <FormattedMessage id="groups.manage.endTermConfirm" />
            </p>
            <Form method="post" action={base} className="actions">
              <input type="hidden" name="intent" value="endTerm" />
              <button type="submit" className="button--danger">
                <FormattedMessage id="groups.manage.endTermYes" />
              </button>
              <Link to={base}>
                <FormattedMessage id="common.cancel" />
              </Link>
            </Form>
          </div>
        ) : (
          <p>
            <Link to={`${base}?endTerm=1`}>
              <FormattedMessage id="groups.manage.endTerm" />
            </Link>
          </p>
        )
      ) : (
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="newTerm" />
          <p>
            <FormattedMessage id="groups.manage.newTermHint" />
          </p>
          <Field name="startDate" type="date" label={labels["startDate"]} error={fieldError(otherResult, "startDate")} required />
          <Field name="startTime" type="time" label={labels["startTime"]} defaultValue={group.schedule.dtstartLocal.slice(11, 16)} error={fieldError(otherResult, "startTime")} required />
          <div className="field">
            <label htmlFor="field-frequency">{labels["frequency"]}</label>
            <select id="field-frequency" name="frequency" defaultValue="weekly">
              {FREQUENCIES.map((f) => (
                <option key={f} value={f}>
                  {t(`groups.form.frequency.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <Field name="meetings" type="number" min={1} label={labels["meetings"]} defaultValue="10" error={fieldError(otherResult, "meetings")} required />
          <Field name="duration" type="number" min={30} max={240} label={labels["duration"]} defaultValue={String(group.schedule.durationMinutes)} error={fieldError(otherResult, "duration")} required />
          <Field name="firstDuration" type="number" min={30} max={240} label={labels["firstDuration"]} error={fieldError(otherResult, "firstDuration")} />
          <div className="actions">
            <button type="submit">
              <FormattedMessage id="groups.manage.startTerm" />
            </button>
          </div>
        </Form>
      )}

      <h3 id="meetings-title">
        <FormattedMessage id="groups.manage.meetingsTitle" />
      </h3>
      {meetings.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="groups.manage.meetingsEmpty" />
        </p>
      ) : (
        <ul aria-labelledby="meetings-title">
          {meetings.map((m) => (
            <li key={m.occurrenceStart}>
              <Link to={`${base}/meetings/${encodeURIComponent(m.occurrenceStart)}`}>
                <time dateTime={m.start}>{intl.formatDate(m.start, { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" })}</time>
              </Link>
              {m.status !== "scheduled" && (
                <>
                  {" "}
                  <span className="tag">
                    <FormattedMessage id={`sessions.status.${m.status}`} />
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}

      <h3 id="pauses-title">
        <FormattedMessage id="groups.manage.pausesTitle" />
      </h3>
      <p className="field__hint">
        <FormattedMessage id="groups.manage.pausesHint" values={{ zone: group.timeZone }} />
      </p>
      {pauses.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="groups.manage.pausesEmpty" />
        </p>
      ) : (
        <ul aria-labelledby="pauses-title">
          {pauses.map((p) => (
            <li key={p.id}>
              <Form method="post" className="inline-form">
                <FormattedMessage id="groups.manage.pauseRange" values={{ from: p.startDate, to: p.endDate }} /> <input type="hidden" name="intent" value="resume" />
                <input type="hidden" name="pauseId" value={p.id} />
                <button type="submit" className="button--secondary" aria-label={t("groups.manage.resumeLabel", { from: p.startDate, to: p.endDate })}>
                  <FormattedMessage id="groups.manage.resume" />
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="card" aria-labelledby="pause-form-title">
        <h4 id="pause-form-title">
          <FormattedMessage id="groups.manage.pauseTitle" />
        </h4>
        <input type="hidden" name="intent" value="pause" />
        <Field name="startDate" id="field-pause-startDate" type="date" label={t("groups.manage.pauseFrom")} defaultValue={otherResult?.form === "pause" ? otherResult.values?.["startDate"] : undefined} error={otherResult?.form === "pause" ? fieldError(otherResult, "startDate") : undefined} required />
        <Field name="endDate" id="field-pause-endDate" type="date" label={t("groups.manage.pauseTo")} defaultValue={otherResult?.form === "pause" ? otherResult.values?.["endDate"] : undefined} error={otherResult?.form === "pause" ? fieldError(otherResult, "endDate") : undefined} required />
        <button type="submit">
          <FormattedMessage id="groups.manage.pause" />
        </button>
      </Form>

      <h3 id="notices-title">
        <FormattedMessage id="groups.manage.noticesTitle" />
      </h3>
      <p className="field__hint">
        <FormattedMessage id="groups.manage.noticesHint" />
      </p>
      {notices.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="groups.manage.noticesEmpty" />
        </p>
      ) : (
        <table aria-labelledby="notices-title">
          <thead>
            <tr>
              <th scope="col">
                <FormattedMessage id="groups.manage.noticeWhen" />
              </th>
              <th scope="col">
                <FormattedMessage id="groups.manage.noticeWhat" />
              </th>
              <th scope="col">
                <FormattedMessage id="groups.manage.noticeEmails" />
              </th>
            </tr>
          </thead>
          <tbody>
            {notices.map((n) => (
              <tr key={n.id}>
                <td>{intl.formatDate(n.createdAt, { dateStyle: "medium", timeStyle: "short" })}</td>
                <td>
                  <FormattedMessage
                    id={`groups.manage.notice.${n.kind}`}
                    values={{
                      meeting: n.occurrenceStart ? intl.formatDate(n.occurrenceStart, { dateStyle: "medium", timeStyle: "short", timeZone: group.timeZone }) : "",
                      from: n.startDate ?? "",
                      to: n.endDate ?? "",
                    }}
                  />
                </td>
                <td>
                  {n.recipients.length === 0 ? (
                    <FormattedMessage id="groups.manage.noticeNoRecipients" />
                  ) : (
                    <details>
                      <summary>
                        <FormattedMessage id="groups.manage.noticeSummary" values={{ sent: n.sent, total: n.recipients.length, failed: n.failed }} />
                      </summary>
                      <ul>
                        {n.recipients.map((r) => (
                          <li key={r.userId}>
                            {r.name}: <FormattedMessage id={`groups.manage.mailStatus.${r.mailStatus}`} />
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {manages && !archived && (
        <>
          <h3 id="archive-title">
            <FormattedMessage id="groups.manage.archiveTitle" />
          </h3>
          {confirm.archive ? (
            <div className="card" role="alertdialog" aria-labelledby="archive-confirm">
              <p id="archive-confirm">
                <FormattedMessage id="groups.manage.archiveConfirm" />
              </p>
              <Form method="post" action={base} className="actions">
                <input type="hidden" name="intent" value="archive" />
                <button type="submit" className="button--danger">
                  <FormattedMessage id="groups.manage.archiveYes" />
                </button>
                <Link to={base}>
                  <FormattedMessage id="common.cancel" />
                </Link>
              </Form>
            </div>
          ) : (
            <p>
              <Link to={`${base}?archive=1`}>
                <FormattedMessage id="groups.manage.archive" />
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
