// /wellbeing/answer/:token — the check-in behind an emailed invitation link (no sign-in needed).
import type { Route } from "./+types/answer-token";
import { CheckInPage, actCheckIn, loadCheckIn } from "./checkin.tsx";
import styles from "./wellbeing.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function meta() {
  return [{ title: "Well-being check-in · Balint Commons" }, { name: "robots", content: "noindex" }, { name: "referrer", content: "no-referrer" }];
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadCheckIn(context, request, { kind: "token", token: params.token });
}

export async function action({ context, request, params }: Route.ActionArgs) {
  return actCheckIn(context, request, { kind: "token", token: params.token });
}

export default function AnswerByToken({ loaderData, actionData }: Route.ComponentProps) {
  return <CheckInPage loaderData={loaderData} actionData={actionData} />;
}
