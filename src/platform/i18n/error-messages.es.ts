/**
 * Spanish for the English top-level error messages of the services (the `message` of an AppError
 * with the codes conflict, forbidden, not_found, unauthenticated, gone, rate_limited…): what the
 * REST API returns in `error.message` and what a form shows above its fields. Matched like the
 * validation messages (see field-messages.ts) and merged into the same catalog; usted form and the
 * terms of field-messages.es.ts (reunión, ciclo, plazas, itinerario, cuestionario, ronda, líder…).
 *
 * "That x was not found." comes from the not-found helpers (`notFound("That x")`, `checkId(id,
 * "That x")`): each is an exact entry, since the thing named needs its own Spanish words.
 *
 * The coverage test (field-messages.coverage.test.ts) fails when a message literal in the source
 * has no entry here or in field-messages.es.ts.
 */

/** Exact English message → Spanish. */
export const ERROR_MESSAGES_ES: Readonly<Record<string, string>> = {
  // ── Shared: the not-found helpers' defaults, uploads ───────────────────────────────────────
  "That was not found.": "No se encontró.",
  "That record was not found.": "No se encontró ese registro.",
  "Only PDF, PNG and JPEG files are accepted.": "Solo se aceptan archivos PDF, PNG y JPEG.",

  // ── accounts, setup, profile, api-tokens, dashboard, outbox ────────────────────────────────
  "This installation is already set up.": "Esta instalación ya está configurada.",
  "An account with this email already exists.": "Ya existe una cuenta con este correo.",
  "That address is taken.": "Esa dirección ya está en uso.",
  "Your profile was not found.": "No se encontró su perfil.",
  "API tokens cannot manage API tokens; sign in with a browser session.": "Los tokens de API no pueden gestionar tokens de API; inicie sesión en el navegador.",
  "That token was not found.": "No se encontró ese token.",
  "Use a signed-in session for your own dashboard.": "Inicie sesión para ver su propio panel.",
  "The development outbox was not found.": "No se encontró la bandeja de salida de desarrollo.",
  "That message was not found.": "No se encontró ese mensaje.",

  // ── organisations ──────────────────────────────────────────────────────────────────────────
  "That organisation was not found.": "No se encontró esa organización.",
  "That member was not found in this organisation.": "No se encontró a esa persona entre los miembros de esta organización.",
  "That invitation was not found.": "No se encontró esa invitación.",
  "Leaving an organisation needs a signed-in session, not an API token.": "Para salir de una organización debe iniciar sesión; no se puede con un token de API.",
  "You are the only owner of this organisation. Make someone else an owner before you leave.":
    "Usted es la única persona propietaria de esta organización. Haga propietaria a otra persona antes de salir.",
  "Only an owner can change an owner's role.": "Solo una persona propietaria puede cambiar el rol de otra persona propietaria.",
  "This is the organisation's only owner. Make someone else an owner first.": "Es la única persona propietaria de la organización. Haga propietaria a otra persona primero.",
  "Only an owner can remove an owner.": "Solo una persona propietaria puede quitar a otra persona propietaria.",
  "This person is already a member of the organisation.": "Esta persona ya es miembro de la organización.",
  "This invitation was already accepted.": "Esta invitación ya se aceptó.",
  "This invitation was already withdrawn.": "Esta invitación ya se retiró.",
  "This invitation was withdrawn; send a new one instead.": "Esta invitación se retiró; envíe una nueva.",
  "Accept invitations while signed in, not with an API token.": "Acepte las invitaciones con la sesión iniciada, no con un token de API.",
  "This invitation has already been used.": "Esta invitación ya se utilizó.",
  "This invitation was withdrawn.": "Esta invitación se retiró.",
  "This invitation has expired. Please ask the organisation for a new one.": "Esta invitación venció. Pida una nueva a la organización.",
  "This invitation was sent to a different email address. Sign in with the address it was sent to, or ask for an invitation to your own address.":
    "Esta invitación se envió a otra dirección de correo. Inicie sesión con la dirección a la que se envió o pida una invitación a su propia dirección.",
  "Please confirm your email address first; then you can accept the invitation.": "Confirme primero su dirección de correo; después podrá aceptar la invitación.",
  "You are already a member of this organisation.": "Usted ya es miembro de esta organización.",

  // ── groups ─────────────────────────────────────────────────────────────────────────────────
  "That group was not found.": "No se encontró ese grupo.",
  "Only this group's leaders and the organisation's coordinators can do that.": "Solo los líderes de este grupo y los coordinadores de la organización pueden hacer eso.",
  "Only this group's leaders and the organisation's coordinators can change it.": "Solo los líderes de este grupo y los coordinadores de la organización pueden cambiarlo.",
  "Ask for a place while signed in, not with an API token.": "Pida una plaza con la sesión iniciada, no con un token de API.",
  "This group is archived and does not take new members.": "Este grupo está archivado y no admite miembros nuevos.",
  "This group takes members by invitation only.": "Este grupo solo admite miembros por invitación.",
  "Another group in this organisation already uses that web address name.": "Otro grupo de esta organización ya usa ese nombre web.",
  "As the group's leader you can change its description and meeting link; ask a coordinator for the rest.":
    "Como líder del grupo puede cambiar su descripción y el enlace de la reunión; para lo demás, pídaselo a un coordinador.",
  "This view is for the group's members.": "Esta vista es para los miembros del grupo.",
  "You lead this group.": "Usted es líder de este grupo.",
  "You are already a member of this group.": "Usted ya es miembro de este grupo.",
  "You have already asked to join this group; the leaders will answer.": "Ya pidió unirse a este grupo; los líderes le responderán.",
  "There is no open request from that person for this group.": "No hay ninguna solicitud abierta de esa persona para este grupo.",
  "Accept the group agreement yourself, while signed in.": "Acepte el acuerdo del grupo usted mismo, con la sesión iniciada.",
  "Only the group's members accept its agreement.": "Solo los miembros del grupo aceptan su acuerdo.",
  "Only the group's members and leaders see who is in it.": "Solo los miembros y los líderes del grupo ven quién forma parte de él.",
  "You are not in this group.": "Usted no forma parte de este grupo.",
  "That person is not an active member of this group.": "Esa persona no es un miembro activo de este grupo.",
  "This group has a free place: ask to join it instead of the waitlist.": "Este grupo tiene una plaza libre: pida unirse en lugar de apuntarse a la lista de espera.",
  "You are already on this group's waitlist.": "Usted ya está en la lista de espera de este grupo.",
  "You are not on this group's waitlist.": "Usted no está en la lista de espera de este grupo.",
  "That person is not on this group's waitlist.": "Esa persona no está en la lista de espera de este grupo.",
  "Accept a place while signed in, not with an API token.": "Acepte una plaza con la sesión iniciada, no con un token de API.",
  "You have no open offer for this group yet; you will be emailed when a place is free.":
    "Aún no tiene ninguna oferta abierta para este grupo; le escribiremos cuando haya una plaza libre.",
  "This offer has expired and passed to the next person.": "Esta oferta venció y pasó a la siguiente persona.",
  "The group is full; you stay on the waitlist.": "El grupo está completo; sigue en la lista de espera.",
  "This term has already ended.": "Este ciclo ya terminó.",
  "End the current term before starting a new one.": "Termine el ciclo actual antes de empezar uno nuevo.",

  // ── sessions ───────────────────────────────────────────────────────────────────────────────
  "That meeting was not found.": "No se encontró esa reunión.",
  "This meeting falls in a pause.": "Esta reunión cae en una pausa.",
  "This meeting is already cancelled.": "Esta reunión ya está cancelada.",
  "Use a signed-in session for your own sessions.": "Inicie sesión para ver sus propias reuniones.",
  "That meeting has no change to take back.": "Esa reunión no tiene ningún cambio que deshacer.",
  "That pause was not found.": "No se encontró esa pausa.",
  "Only the group's members answer for a meeting.": "Solo los miembros del grupo responden para una reunión.",
  "Accept the group agreement first.": "Acepte primero el acuerdo del grupo.",
  "This meeting has already started.": "Esta reunión ya empezó.",
  "Attendance can be recorded once the meeting has started.": "La asistencia se puede registrar cuando la reunión haya empezado.",
  "Who led a meeting can be recorded once it has started.": "Quién dirigió una reunión se puede registrar cuando haya empezado.",
  "Change your reminders while signed in.": "Cambie sus recordatorios con la sesión iniciada.",
  "Manage your calendar feed while signed in.": "Gestione su suscripción de calendario con la sesión iniciada.",

  // ── facilitation (the companion) ───────────────────────────────────────────────────────────
  "Open the companion for this meeting first.": "Abra primero el acompañante de esta reunión.",
  "A meeting can be ended once it has started (attendance is recorded from its start).":
    "Una reunión se puede terminar cuando haya empezado (la asistencia se registra desde su inicio).",
  "This meeting is cancelled.": "Esta reunión está cancelada.",
  "The companion opens 2 hours before a meeting and closes 24 hours after its start.":
    "El acompañante se abre 2 horas antes de una reunión y se cierra 24 horas después de su inicio.",

  // ── feedback ───────────────────────────────────────────────────────────────────────────────
  "Leaders are not asked for feedback on the meetings they lead.": "A los líderes no se les pide opinión sobre las reuniones que dirigen.",
  "Only members recorded present at this meeting can answer.": "Solo pueden responder los miembros registrados como presentes en esta reunión.",
  "This meeting was cancelled.": "Esta reunión se canceló.",
  "This meeting has not started yet.": "Esta reunión aún no ha empezado.",
  "Feedback for this meeting has closed.": "La opinión sobre esta reunión ya está cerrada.",
  "You have already answered for this meeting.": "Ya respondió para esta reunión.",

  // ── debrief ────────────────────────────────────────────────────────────────────────────────
  "That debrief was not found.": "No se encontró esa reflexión.",
  "This meeting did not take place.": "Esta reunión no se celebró.",
  "A debrief can be written once the meeting has started.": "La reflexión se puede escribir cuando la reunión haya empezado.",
  "There is no debrief to keep yet: save it first.": "Aún no hay ninguna reflexión que conservar: guárdela primero.",
  "There is no debrief to delete.": "No hay ninguna reflexión que eliminar.",

  // ── library ────────────────────────────────────────────────────────────────────────────────
  "That library item was not found.": "No se encontró ese elemento de la biblioteca.",
  "The reading log is only available when signed in as yourself.": "El registro de lecturas solo está disponible con su propia sesión iniciada.",
  "Join an organisation to keep a reading log.": "Únase a una organización para llevar un registro de lecturas.",
  "That reading-log entry was not found.": "No se encontró esa entrada del registro de lecturas.",

  // ── events: registrations, packages, payments ──────────────────────────────────────────────
  "That event was not found.": "No se encontró ese evento.",
  "That registration was not found.": "No se encontró esa inscripción.",
  "That package was not found.": "No se encontró esa serie.",
  "Another event of this organisation already uses that slug.": "Otro evento de esta organización ya usa ese nombre corto para la dirección.",
  "A cancelled event cannot be published.": "Un evento cancelado no se puede publicar.",
  "This event is already cancelled.": "Este evento ya está cancelado.",
  "Another package uses that slug.": "Otra serie ya usa ese nombre corto para la dirección.",
  "This package is cancelled.": "Esta serie está cancelada.",
  "People are registered for this package: its events cannot change.": "Hay personas inscritas en esta serie: sus eventos no pueden cambiar.",
  "People are registered for this package: it cannot go back to draft.": "Hay personas inscritas en esta serie: no puede volver a borrador.",
  "Only people waiting (without an open offer) can be moved.": "Solo se puede mover a quienes esperan (sin una oferta abierta).",
  "Only a paid registration can be refunded.": "Solo se puede reembolsar una inscripción pagada.",
  "Please sign in to register.": "Inicie sesión para inscribirse.",
  "Register while signed in, not with an API token.": "Inscríbase con la sesión iniciada, no con un token de API.",
  "This event is cancelled.": "Este evento está cancelado.",
  "Registration has not opened yet.": "La inscripción aún no está abierta.",
  "Registration has closed.": "La inscripción está cerrada.",
  "This price is for members of the organisation.": "Este precio es para los miembros de la organización.",
  "This trainee price is not for your discipline.": "Este precio para personas en formación no corresponde a su disciplina.",
  "This event does not take registrations now.": "Este evento no admite inscripciones en este momento.",
  "You are already registered for this event.": "Usted ya está inscrito en este evento.",
  "Use the app while signed in to see your registrations.": "Use la aplicación con la sesión iniciada para ver sus inscripciones.",
  "This registration is already cancelled.": "Esta inscripción ya está cancelada.",
  "There is no open offer for this registration.": "No hay ninguna oferta abierta para esta inscripción.",
  "This offer has expired and the place was offered to the next person.": "Esta oferta venció y la plaza se ofreció a la siguiente persona.",
  "The calendar is available once your place is confirmed.": "El calendario estará disponible cuando su plaza esté confirmada.",
  "Unknown payment provider.": "Proveedor de pago desconocido.",
  "This payment provider has no webhook.": "Este proveedor de pago no tiene webhook.",
  "The payment notice's signature is not valid.": "La firma del aviso de pago no es válida.",

  // ── events: small groups (roster), check-in, certificates, observations ────────────────────
  "Someone else saved this roster meanwhile. Reload it and try again.": "Otra persona guardó estos grupos pequeños mientras tanto. Vuelva a cargarlos e inténtelo de nuevo.",
  "This roster was removed meanwhile.": "Estos grupos pequeños se eliminaron mientras tanto.",
  "Save a roster before publishing it.": "Guarde los grupos pequeños antes de publicarlos.",
  "That certificate was not found.": "No se encontró ese certificado.",
  "This certificate was revoked.": "Este certificado fue revocado.",
  "This person already has a certificate for this event.": "Esta persona ya tiene un certificado de este evento.",
  "No certificate has this code.": "Ningún certificado tiene este código.",
  "Only the faculty of this event record observations.": "Solo los docentes de este evento registran observaciones.",
  "This event is not published yet.": "Este evento aún no está publicado.",
  "Use the app while signed in to read your observations.": "Use la aplicación con la sesión iniciada para leer sus observaciones.",

  // ── accreditation: pathways, candidates, evidence ──────────────────────────────────────────
  "That pathway was not found.": "No se encontró ese itinerario.",
  "A pathway with this key exists.": "Ya existe un itinerario con esta clave.",
  "That version was not found.": "No se encontró esa versión.",
  "Only a draft can be published.": "Solo se puede publicar un borrador.",
  "Use a signed-in session to enrol.": "Inicie sesión para inscribirse en el itinerario.",
  "You are already enrolled on this pathway.": "Usted ya está inscrito en este itinerario.",
  "Only coordinators and supervisors see candidates.": "Solo los coordinadores y los supervisores ven a los candidatos.",
  "That candidate was not found.": "No se encontró a ese candidato.",
  "The candidate is already on this version.": "El candidato ya está en esta versión.",
  "Only the candidate adds their own evidence.": "Solo el propio candidato añade sus evidencias.",
  "This candidacy is closed.": "Esta candidatura está cerrada.",
  "This meeting is already counted.": "Esta reunión ya está contabilizada.",
  "This has already been added.": "Esto ya se añadió.",
  "Only coordinators and supervisors review evidence.": "Solo los coordinadores y los supervisores revisan las evidencias.",
  "That evidence was not found.": "No se encontró esa evidencia.",
  "You cannot verify your own evidence.": "No puede verificar sus propias evidencias.",
  "This evidence has already been decided.": "Ya se decidió sobre esta evidencia.",
  "That file was not found.": "No se encontró ese archivo.",
  "Use a signed-in session for your own records.": "Inicie sesión para ver sus propios registros.",

  // ── accreditation: supervision ─────────────────────────────────────────────────────────────
  "That supervision was not found.": "No se encontró esa supervisión.",
  "Your supervisors list entry was not found.": "No se encontró su entrada en la lista de supervisores.",
  "This supervisor has no free place.": "Este supervisor no tiene plazas libres.",
  "You already have an open request or agreement with this supervisor.": "Ya tiene una solicitud o un acuerdo abierto con este supervisor.",
  "Only the supervisor proposes the agreement.": "Solo el supervisor propone el acuerdo.",
  "This supervision is no longer open to a proposal.": "Esta supervisión ya no admite propuestas.",
  "This supervision changed meanwhile.": "Esta supervisión cambió mientras tanto.",
  "Only the candidate accepts the proposed agreement.": "Solo el candidato acepta el acuerdo propuesto.",
  "The agreement is already accepted.": "El acuerdo ya está aceptado.",
  "There is no proposal to accept.": "No hay ninguna propuesta que aceptar.",
  "Only an open request can be declined.": "Solo se puede rechazar una solicitud abierta.",
  "Only an active supervision can be ended.": "Solo se puede terminar una supervisión activa.",
  "Meetings are logged under an active supervision agreement.": "Las reuniones se registran dentro de un acuerdo de supervisión activo.",
  "A meeting on that day is already logged.": "Ya hay una reunión registrada ese día.",
  "The other side confirms a meeting you logged.": "Una reunión que usted registró la confirma la otra parte.",
  "This meeting has already been confirmed or rejected.": "Esta reunión ya se confirmó o se rechazó.",
  "The candidate marks the sessions they led; the supervisor confirms them.": "El candidato marca las sesiones que dirigió; el supervisor las confirma.",
  "Sessions are marked under an active supervision agreement.": "Las sesiones se marcan dentro de un acuerdo de supervisión activo.",
  "That session is already marked as supervised.": "Esa sesión ya está marcada como supervisada.",
  "That supervised session was not found.": "No se encontró esa sesión supervisada.",
  "Only the supervisor confirms a supervised session.": "Solo el supervisor confirma una sesión supervisada.",
  "This session has already been confirmed or rejected.": "Esta sesión ya se confirmó o se rechazó.",
  "Only the supervisor writes a supervisor report.": "Solo el supervisor escribe un informe de supervisión.",
  "Reports follow an accepted supervision agreement.": "Los informes se escriben dentro de un acuerdo de supervisión aceptado.",

  // ── accreditation: credentials, committee, applications ────────────────────────────────────
  "Could not allocate a status list entry; please try again.": "No se pudo asignar una entrada en la lista de estado; inténtelo de nuevo.",
  "That credential is already revoked.": "Esa credencial ya está revocada.",
  "A revoked credential cannot be renewed.": "Una credencial revocada no se puede renovar.",
  "Unknown issuer.": "Emisor desconocido.",
  "No credential of that organisation.": "No hay ninguna credencial de esa organización.",
  "No valid credential of that organisation.": "No hay ninguna credencial válida de esa organización.",
  "No listing.": "No figura en el directorio.",
  "Only members of the accreditation committee may do that.": "Solo los miembros del comité de acreditación pueden hacer eso.",
  "Only the committee chair may do that.": "Solo la presidencia del comité puede hacer eso.",
  "The committee already has a chair; make them a member first.": "El comité ya tiene presidencia; hágala miembro primero.",
  "That committee member was not found.": "No se encontró a ese miembro del comité.",
  "That candidacy was not found.": "No se encontró esa candidatura.",
  "That application was not found.": "No se encontró esa solicitud.",
  "You have already applied on this pathway.": "Ya presentó una solicitud en este itinerario.",
  "This candidacy cannot apply now.": "Esta candidatura no puede presentar una solicitud ahora.",
  "This application changed meanwhile.": "Esta solicitud cambió mientras tanto.",
  "You are not a reviewer of this application.": "Usted no revisa esta solicitud.",

  // ── wellbeing ──────────────────────────────────────────────────────────────────────────────
  "That check-in was not found.": "No se encontró ese cuestionario.",
  "That campaign was not found.": "No se encontró esa campaña.",
  "That wave was not found.": "No se encontró esa ronda.",
  "That check-in link was not found.": "No se encontró ese enlace al cuestionario.",
  "That instrument was not found.": "No se encontró ese instrumento.",
  "This check-in link was sent to someone else. Open it while signed out, or signed in as the person it was sent to.":
    "Este enlace al cuestionario se envió a otra persona. Ábralo sin iniciar sesión o con la sesión de la persona a la que se envió.",
  "This check-in has closed.": "Este cuestionario ya está cerrado.",
  "This check-in has not opened yet.": "Este cuestionario aún no está abierto.",
  "You have already answered this questionnaire in this check-in.": "Ya respondió este cuestionario en esta ronda.",
  "An instrument with this url and version was already imported.": "Ya se importó un instrumento con esta url y esta versión.",
  "This wave has closed and cannot change.": "Esta ronda está cerrada y no puede cambiar.",
  "This wave is open: its opening cannot move.": "Esta ronda está abierta: su apertura no puede cambiar de fecha.",
  "This wave has closed.": "Esta ronda está cerrada.",
  "This wave has not opened yet.": "Esta ronda aún no está abierta.",
};

/** English message with placeholders → Spanish (see field-messages.ts for the placeholder kinds). */
export const ERROR_PATTERNS_ES: ReadonlyArray<readonly [english: string, spanish: string]> = [
  // organisations: {role} is a role code (coordinator, leader…), as the person chose it.
  ["Your role cannot give someone the role {role}.", "Su rol no le permite dar a nadie el rol {role}."],
  ["Your role cannot invite someone as {role}.", "Su rol no le permite invitar a nadie como {role}."],
  ["Your role cannot withdraw an invitation as {role}.", "Su rol no le permite retirar una invitación como {role}."],
  // groups
  ["The group has {active:int} active members; capacity cannot be lower than that.", "El grupo tiene {active} miembros activos; las plazas no pueden ser menos."],
  [
    "This group is full ({capacity:int} places). Suggest the waitlist: the person can join it and is offered the next free place.",
    "Este grupo está completo ({capacity} plazas). Sugiera la lista de espera: la persona puede apuntarse y se le ofrecerá la siguiente plaza libre.",
  ],
  // events: {dates} is a list of dates; {name} a person's name; {problems} the roster's own (catalogued) message.
  ["People were checked in on {dates}: keep that day in the programme.", "Hubo personas registradas a su llegada el {dates}: mantenga ese día en el programa."],
  ["{name} has no attended hours at this event: no certificate can be issued.", "{name} no tiene horas de asistencia en este evento: no se puede emitir un certificado."],
  ["The roster no longer matches the participants: {problems:msg}", "Los grupos pequeños ya no coinciden con los participantes: {problems}"],
];
