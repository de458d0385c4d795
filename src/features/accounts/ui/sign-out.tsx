import { redirect } from "react-router";
import type { Route } from "./+types/sign-out";
import { getRequestContext } from "../../../ui/request-context.ts";
import { cookieHeaders } from "./helpers.ts";

/** POST /sign-out (the header's sign-out button). A GET changes nothing. */
export async function action({ context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const result = await ctx.services.accounts.signOut(ctx);
  return redirect("/", { headers: cookieHeaders(result.cookies) });
}

export async function loader() {
  return redirect("/");
}
