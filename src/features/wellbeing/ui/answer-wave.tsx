// /wellbeing/checkin/:orgId/:waveId — the same check-in, signed in (from "My check-ins").
import type { Route } from "./+types/answer-wave";
import { CheckInPage, actCheckIn, loadCheckIn } from "./checkin.tsx";
import styles from "./wellbeing.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function meta() {
  return [{ title: "Well-being check-in · Balint Commons" }];
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadCheckIn(context, request, { kind: "wave", orgId: params.orgId, waveId: params.waveId });
}

export async function action({ context, request, params }: Route.ActionArgs) {
  return actCheckIn(context, request, { kind: "wave", orgId: params.orgId, waveId: params.waveId });
}

export default function AnswerByWave({ loaderData, actionData }: Route.ComponentProps) {
  return <CheckInPage loaderData={loaderData} actionData={actionData} />;
}
