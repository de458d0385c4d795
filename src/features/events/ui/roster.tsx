import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/roster";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, useFieldMessage, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";
import { validateRoster } from "../roster.ts";

// The organiser's small-group editor. Generate a balanced proposal, adjust it, save, publish.
// Moving people: drag and drop, the group menu beside each name (works without JavaScript, and
// is the keyboard and screen-reader way), or the left/right arrow keys on a focused name. Every
// move is announced in a polite live region; problems (keep-apart, sizes) show as you edit.
export function meta() {
  return [{ title: "Small groups · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const view = await loadOr(request, () => ctx.services.eventRosters.getRoster(ctx.actor, org.id, params.eventId));
  return { slug: org.slug, view };
}

const num = (v: FormDataEntryValue | null) => (v === null || v === "" ? undefined : Number(v));

/** The save form: group names `g.<i>.name`, `groupCount`, and each person's group `m.<userId>`. */
function rosterFromForm(form: FormData) {
  const count = Math.min(100, Math.max(0, Number(form.get("groupCount") ?? 0) || 0));
  const groups = Array.from({ length: count }, (_, i) => ({ name: String(form.get(`g.${i}.name`) ?? "").trim(), members: [] as string[] }));
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("m.") || typeof value !== "string") continue;
    const g = groups[Number(value)];
    if (g) g.members.push(key.slice(2));
  }
  return { minSize: num(form.get("minSize")), maxSize: num(form.get("maxSize")), version: num(form.get("version")), groups };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const svc = ctx.services.eventRosters;
  if (intent === "generate") {
    const r = await attempt(() => svc.generateRoster(ctx.actor, org.id, params.eventId, { minSize: num(form.get("minSize")), maxSize: num(form.get("maxSize")), targetSize: num(form.get("targetSize")), seed: num(form.get("seed")) }));
    if (!r.ok) return data(r.failure, { status: r.status });
    return { ok: true, intent, proposal: r.value } as const;
  }
  if (intent === "publish") {
    const r = await attempt(() => svc.publishRoster(ctx.actor, org.id, params.eventId, ctx));
    if (!r.ok) return data(r.failure, { status: r.status });
    return { ok: true, intent } as const;
  }
  const r = await attempt(() => svc.saveRoster(ctx.actor, org.id, params.eventId, rosterFromForm(form), ctx));
  if (!r.ok) return data(r.failure, { status: r.status });
  return { ok: true, intent: "save", warnings: r.value.warnings } as const;
}

type View = Route.ComponentProps["loaderData"]["view"];
type Group = { name: string; members: string[] };

function Editor(props: { view: View; initial: { minSize: number; maxSize: number; groups: Group[] }; version: number | null }) {
  const intl = useIntl();
  const localize = useFieldMessage();
  const { view } = props;
  const [groups, setGroups] = useState<Group[]>(props.initial.groups);
  const [announcement, setAnnouncement] = useState("");
  const [focusAfterMove, setFocusAfterMove] = useState<{ id: string } | null>(null);
  const itemRefs = useRef(new Map<string, HTMLButtonElement>());
  const people = new Map(view.participants.map((p) => [p.userId, p]));
  const name = (id: string) => people.get(id)?.name ?? id;
  const groupName = (i: number) => groups[i]?.name || intl.formatMessage({ id: "eventRoster.groupName" }, { n: i + 1 });
  const apartOf = (id: string) => view.keepApart.filter(([a, b]) => a === id || b === id).map(([a, b]) => (a === id ? b : a));
  const check = validateRoster({ groups }, { participants: view.participants.map((p) => ({ id: p.userId, name: p.name })), keepApart: view.keepApart, minSize: props.initial.minSize, maxSize: props.initial.maxSize });

  useEffect(() => {
    if (focusAfterMove) itemRefs.current.get(focusAfterMove.id)?.focus();
  }, [focusAfterMove]);

  function move(id: string, to: number, keepFocus = false) {
    const from = groups.findIndex((g) => g.members.includes(id));
    if (to < 0 || to >= groups.length || from === to) return;
    setGroups(groups.map((g, i) => ({ ...g, members: i === to ? [...g.members.filter((m) => m !== id), id] : g.members.filter((m) => m !== id) })));
    setAnnouncement(intl.formatMessage({ id: "eventRoster.moved" }, { name: name(id), group: groupName(to) }));
    // A new object each time, so focus follows even when the same person moves twice.
    setFocusAfterMove(keepFocus ? { id } : null);
  }
  const onKey = (id: string, gi: number) => (e: KeyboardEvent<HTMLButtonElement>) => {
    const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    move(id, gi + step, true);
  };
  const onDrop = (gi: number) => (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    const id = e.dataTransfer.getData("text/plain");
    if (people.has(id)) move(id, gi);
  };

  return (
    <Form method="post" className="roster-editor">
      <input type="hidden" name="minSize" value={props.initial.minSize} />
      <input type="hidden" name="maxSize" value={props.initial.maxSize} />
      {props.version !== null && <input type="hidden" name="version" value={props.version} />}
      <input type="hidden" name="groupCount" value={groups.length} />
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="roster-announcement">
        {announcement}
      </p>
      <p className="muted" id="roster-keys">
        <FormattedMessage id="eventRoster.dragHint" />
      </p>
      {check.issues.length > 0 && (
        <ul className="notice" aria-live="polite">
          {check.issues.map((i, n) => (
            <li key={n}>{i.severity === "warning" ? intl.formatMessage({ id: "eventRoster.warning" }, { message: localize(i.message) }) : localize(i.message)}</li>
          ))}
        </ul>
      )}
      <div className="roster-groups" style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(16rem, 1fr))", gap: "1rem" }}>
        {groups.map((g, gi) => (
          // Dropping is the mouse's way; the group menu and arrow keys do the same from the keyboard.
          // oxlint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
          <section key={gi} className="card roster-group" aria-labelledby={`group-${gi}-label`} onDragOver={(e) => e.preventDefault()} onDrop={onDrop(gi)} data-testid="roster-group">
            <h2 id={`group-${gi}-label`} style={{ fontSize: "1.1rem" }}>
              {groupName(gi)} · <FormattedMessage id="eventRoster.groupSize" values={{ count: g.members.length }} />
            </h2>
            <label htmlFor={`group-${gi}-name`} className="visually-hidden">
              <FormattedMessage id="eventRoster.groupName" values={{ n: gi + 1 }} />
            </label>
            <input id={`group-${gi}-name`} name={`g.${gi}.name`} value={g.name} maxLength={60} required onChange={(e) => setGroups(groups.map((x, i) => (i === gi ? { ...x, name: e.currentTarget.value } : x)))} />
            <ul style={{ listStyle: "none", padding: 0 }}>
              {g.members.map((id) => {
                const p = people.get(id);
                const apart = apartOf(id);
                return (
                  <li key={id} className="roster-person" data-testid="roster-person" data-person={id} style={{ padding: "0.4rem 0", borderBottom: "1px solid #e3e0d8" }}>
                    <button
                      type="button"
                      ref={(el) => {
                        if (el) itemRefs.current.set(id, el);
                        else itemRefs.current.delete(id);
                      }}
                      draggable
                      onDragStart={(e) => e.dataTransfer.setData("text/plain", id)}
                      onKeyDown={onKey(id, gi)}
                      aria-describedby="roster-keys"
                      className="button--link roster-person__handle"
                      style={{ cursor: "grab" }}
                    >
                      <strong>{name(id)}</strong>
                    </button>{" "}
                    <span className="muted">{[p?.discipline, p?.experience, p?.affiliation].filter(Boolean).join(" · ")}</span>
                    {apart.length > 0 && (
                      <span className="muted">
                        {" "}
                        (<FormattedMessage id="eventRoster.keepApartWith" values={{ names: apart.map(name).join(", ") }} />)
                      </span>
                    )}
                    <br />
                    <label htmlFor={`m-${id}`} className="visually-hidden">
                      <FormattedMessage id="eventRoster.moveTo" values={{ name: name(id) }} />
                    </label>
                    <select id={`m-${id}`} name={`m.${id}`} value={gi} onChange={(e) => move(id, Number(e.currentTarget.value))}>
                      {groups.map((_, i) => (
                        <option key={i} value={i}>
                          {groupName(i)}
                        </option>
                      ))}
                    </select>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
      <p>
        <button type="submit" name="intent" value="save">
          <FormattedMessage id="eventRoster.save" />
        </button>
      </p>
    </Form>
  );
}

export default function RosterPage({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { view, slug } = loaderData;
  const failure = actionData && !actionData.ok ? (actionData as ActionResult) : undefined;
  const ok = actionData && actionData.ok ? actionData : null;
  const proposal = ok && ok.intent === "generate" ? ok.proposal : null;
  const saved = view.roster;
  const initial = proposal ?? (saved ? { minSize: saved.minSize, maxSize: saved.maxSize, groups: saved.groups.map((g) => ({ name: g.name, members: g.members })) } : null);
  const editorKey = proposal ? `p-${JSON.stringify(proposal.groups)}` : `s-${saved?.version ?? 0}`;
  return (
    <div className="page roster">
      <p>
        <Link to={`/o/${slug}/events`}>
          <FormattedMessage id="eventRoster.back" />
        </Link>
        {" · "}
        <Link to={`/o/${slug}/events/${view.event.id}/checkin`}>
          <FormattedMessage id="eventRoster.checkinLink" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="eventRoster.title" values={{ event: view.event.title }} />
      </h1>
      <p className="lead">
        <FormattedMessage id="eventRoster.intro" />
      </p>
      <p>
        <FormattedMessage id="eventRoster.participants" values={{ count: view.participants.length }} /> · <FormattedMessage id="eventRoster.keepApart" values={{ count: view.keepApart.length }} />
      </p>
      {saved && (
        <p role="status">
          {saved.status === "published" && saved.publishedAt ? <FormattedMessage id="eventRoster.statusPublished" values={{ date: intl.formatDate(saved.publishedAt, { dateStyle: "long" }) }} /> : <FormattedMessage id="eventRoster.statusDraft" />}
        </p>
      )}
      <ErrorSummary result={failure} />
      {ok && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id={ok.intent === "generate" ? "eventRoster.generated" : ok.intent === "publish" ? "eventRoster.published" : "eventRoster.saved"} />
          {ok.intent === "save" && ok.warnings.length > 0 && (
            <ul>
              {ok.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <Form method="post" className="card roster-generate">
        <fieldset>
          <legend>
            <FormattedMessage id="eventRoster.generate" />
          </legend>
          {(["minSize", "maxSize", "targetSize"] as const).map((f) => (
            <p key={f}>
              <label htmlFor={`gen-${f}`}>
                <FormattedMessage id={`eventRoster.${f}`} />
              </label>{" "}
              <input id={`gen-${f}`} name={f} type="number" min={1} max={100} required={f !== "targetSize"} defaultValue={f === "minSize" ? (saved?.minSize ?? 6) : f === "maxSize" ? (saved?.maxSize ?? 10) : ""} style={{ width: "5rem" }} />
            </p>
          ))}
          <p>
            <label htmlFor="gen-seed">
              <FormattedMessage id="eventRoster.seed" />
            </label>{" "}
            <input id="gen-seed" name="seed" type="number" min={0} defaultValue={1} style={{ width: "7rem" }} />
          </p>
          <button type="submit" name="intent" value="generate">
            <FormattedMessage id="eventRoster.generate" />
          </button>
        </fieldset>
      </Form>
      {initial ? (
        <Editor key={editorKey} view={view} initial={initial} version={proposal ? (saved?.version ?? null) : (saved?.version ?? null)} />
      ) : (
        <p>
          <FormattedMessage id="eventRoster.none" />
        </p>
      )}
      {saved && !proposal && (
        <Form method="post">
          <button type="submit" name="intent" value="publish">
            <FormattedMessage id="eventRoster.publish" />
          </button>
        </Form>
      )}
    </div>
  );
}
