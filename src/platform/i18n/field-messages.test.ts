import { z } from "zod";
import { describe, expect, it } from "vitest";
import { validationError, type ErrorBody } from "../http/errors.ts";
import { compilePattern, fieldMessageLocale, findFieldMessage, localizeErrorBody, localizeFieldErrors, localizeFieldMessage } from "./field-messages.ts";

describe("localizeFieldMessage", () => {
  it("translates an exact message for Spanish readers, whatever the region", () => {
    expect(localizeFieldMessage("Choose listed, unlisted or private.", "es")).toBe("Elija listed, unlisted o private.");
    expect(localizeFieldMessage("Choose listed, unlisted or private.", "es-MX")).toBe("Elija listed, unlisted o private.");
    expect(localizeFieldMessage("is required", "ES_ar")).toBe("es un dato obligatorio");
  });

  it("leaves English (and unsupported languages) as they are", () => {
    expect(localizeFieldMessage("Choose listed, unlisted or private.", "en")).toBe("Choose listed, unlisted or private.");
    expect(localizeFieldMessage("Choose listed, unlisted or private.", "fr")).toBe("Choose listed, unlisted or private.");
    expect(localizeFieldMessage("Choose listed, unlisted or private.", "")).toBe("Choose listed, unlisted or private.");
    expect(fieldMessageLocale(undefined)).toBe("en");
  });

  it("falls back to the English text for a message it does not know, never a guess", () => {
    expect(localizeFieldMessage("The moon is made of cheese.", "es")).toBe("The moon is made of cheese.");
    expect(findFieldMessage("The moon is made of cheese.", "es")).toBeNull();
    // Near misses of known messages are not matched either.
    expect(localizeFieldMessage("Choose listed, unlisted or private", "es")).toBe("Choose listed, unlisted or private");
    expect(localizeFieldMessage("choose listed, unlisted or private.", "es")).toBe("choose listed, unlisted or private.");
    expect(localizeFieldMessage("", "es")).toBe("");
  });

  it("fills the placeholders of a pattern, keeping the variable parts verbatim", () => {
    expect(localizeFieldMessage("must be at most 120 characters", "es")).toBe("debe tener como máximo 120 caracteres");
    expect(localizeFieldMessage("must be at most 2000 characters", "es")).toBe("debe tener como máximo 2000 caracteres");
    expect(localizeFieldMessage('"es-MX" is translated twice', "es")).toBe("«es-MX» está traducido dos veces");
    expect(localizeFieldMessage("must be one of start, pause, resume, next", "es")).toBe("debe ser uno de estos valores: start, pause, resume, next");
    expect(localizeFieldMessage("Duration must be between 30 and 240 minutes; got 15.", "es")).toBe("La duración debe estar entre 30 y 240 minutos; se recibió 15.");
    expect(findFieldMessage("must be at most 120 characters", "es")?.via).toBe("must be at most {max:int} characters");
  });

  it("only matches typed placeholders with the right kind of value", () => {
    // {max:int}: a word where the number should be is not this message.
    expect(findFieldMessage("must be at most many characters", "es")).toBeNull();
    // {path:path}: prose before the colon is not a field path.
    expect(findFieldMessage("Some free text: is required", "es")).toBeNull();
  });

  it("translates a message inside a message ({…:msg}), and only when the inner one is known", () => {
    expect(localizeFieldMessage("Invalid name: is required", "es")).toBe("Revise el campo «name»: es un dato obligatorio");
    expect(localizeFieldMessage("Invalid to: must be after from.", "es")).toBe("Revise el campo «to»: debe ser posterior a from.");
    expect(localizeFieldMessage("Invalid schedule.rrule: Use COUNT or UNTIL to end the term, not both.", "es")).toBe(
      "Revise el campo «schedule.rrule»: Use COUNT o UNTIL para terminar el ciclo, no ambos.",
    );
    expect(localizeFieldMessage("intent: Unknown action.", "es")).toBe("intent: Acción desconocida.");
    expect(localizeFieldMessage("Invalid (body): Unrecognized key: \"extra\"", "es")).toBe('Revise los datos enviados: Campo no reconocido: "extra"');
    // Unknown inner message: the whole message stays English rather than half-translated.
    expect(localizeFieldMessage("Invalid name: the moon is made of cheese", "es")).toBe("Invalid name: the moon is made of cheese");
    // Text already in Spanish is left alone.
    expect(localizeFieldMessage("Nombre: es un dato obligatorio", "es")).toBe("Nombre: es un dato obligatorio");
  });

  it("prefers the more specific pattern", () => {
    expect(localizeFieldMessage("Too small: expected string to have >=1 characters", "es")).toBe("Este dato no puede quedar vacío");
    expect(localizeFieldMessage("Too small: expected string to have >=3 characters", "es")).toBe("Demasiado corto: debe tener al menos 3 caracteres");
    expect(localizeFieldMessage("Too small: expected string to have >3 characters", "es")).toBe("Demasiado corto: debe tener más de 3 caracteres");
    expect(localizeFieldMessage("Use at most 12 places: larger groups lose the trust that makes them work.", "es")).toBe(
      "Como máximo 12 plazas: los grupos más grandes pierden la confianza que los hace funcionar.",
    );
    expect(localizeFieldMessage("Use at most 12 places.", "es")).toBe("Indique como máximo 12 plazas.");
  });

  it("rejects a malformed pattern", () => {
    expect(() => compilePattern("at most {n:float}", "x")).toThrow(/kind/);
    expect(() => compilePattern("{a} and {a}", "x")).toThrow(/repeated/);
  });
});

describe("zod's own messages (schemas without a custom message)", () => {
  const issuesOf = (schema: z.ZodType, value: unknown) => {
    const result = schema.safeParse(value);
    if (result.success) throw new Error("expected a failure");
    return result.error.issues.map((i) => i.message);
  };

  it.each([
    ["a missing string", z.object({ name: z.string() }), {}, "Este dato es obligatorio"],
    ["a number given as text", z.object({ n: z.number() }), { n: "3" }, "Valor no válido: se esperaba un número y se recibió un texto"],
    ["NaN", z.coerce.number(), "abc", "Escriba un número"],
    ["an empty string", z.string().min(1), "", "Este dato no puede quedar vacío"],
    ["a short string", z.string().min(3), "ab", "Demasiado corto: debe tener al menos 3 caracteres"],
    ["a long string", z.string().max(5), "abcdefg", "Demasiado largo: debe tener como máximo 5 caracteres"],
    ["an empty list", z.array(z.string()).min(1), [], "Elija o añada al menos un elemento"],
    ["a long list", z.array(z.string()).max(2), ["a", "b", "c"], "Demasiados elementos: como máximo 2"],
    ["a small number", z.number().min(10), 3, "Demasiado pequeño: debe ser 10 o más"],
    ["a big number", z.number().max(10), 30, "Demasiado grande: debe ser 10 o menos"],
    ["a positive number", z.number().positive(), 0, "Demasiado pequeño: debe ser mayor que 0"],
    ["an enum", z.enum(["listed", "private"]), "open", 'Opción no válida: se esperaba una de estas: "listed"|"private"'],
    ["a literal", z.literal("completed"), "draft", 'Valor no válido: se esperaba "completed"'],
    ["an email", z.email(), "nope", "Dirección de correo no válida"],
    ["a url", z.url(), "nope", "Dirección web no válida"],
    ["a uuid", z.uuid(), "nope", "Identificador (UUID) no válido"],
    ["an ISO date-time", z.iso.datetime(), "nope", "Fecha y hora ISO no válidas"],
    ["an ISO date", z.iso.date(), "nope", "Fecha ISO no válida"],
    ["a pattern", z.string().regex(/^[a-z]+$/), "A1", "Texto no válido: debe seguir el patrón /^[a-z]+$/"],
    ["a prefix", z.string().startsWith("https://"), "http://x", "Texto no válido: debe empezar por «https://»"],
    ["a multiple", z.number().multipleOf(15), 20, "Número no válido: debe ser múltiplo de 15"],
    ["an unknown key", z.strictObject({ a: z.string() }), { a: "x", extra: 1 }, 'Campo no reconocido: "extra"'],
    ["a whole number", z.number().int(), 1.5, "Valor no válido: se esperaba un número entero y se recibió un número"],
  ])("%s", (_label, schema, value, spanish) => {
    const [message] = issuesOf(schema, value);
    expect(localizeFieldMessage(message!, "es")).toBe(spanish);
  });

  it("the error mapper's top-level message is localized as a whole", () => {
    const result = z.object({ title: z.string().max(5) }).safeParse({ title: "far too long" });
    const error = validationError(result.error!.issues);
    expect(error.message).toBe("Invalid title: Too big: expected string to have <=5 characters");
    expect(localizeFieldMessage(error.message, "es")).toBe("Revise el campo «title»: Demasiado largo: debe tener como máximo 5 caracteres");
  });
});

describe("localizeErrorBody", () => {
  const body: ErrorBody = {
    error: {
      code: "validation_failed",
      message: "Invalid visibility: Choose listed, unlisted or private.",
      fields: [
        { path: "visibility", message: "Choose listed, unlisted or private." },
        { path: "name", message: "Something only English knows" },
      ],
      requestId: "req-1",
    },
  };

  it("localizes the top-level message and each field message, keeping code, paths and request id", () => {
    expect(localizeErrorBody(body, "es")).toEqual({
      error: {
        code: "validation_failed",
        message: "Revise el campo «visibility»: Elija listed, unlisted o private.",
        fields: [
          { path: "visibility", message: "Elija listed, unlisted o private." },
          { path: "name", message: "Something only English knows" },
        ],
        requestId: "req-1",
      },
    });
    expect(body.error.fields![0]!.message).toBe("Choose listed, unlisted or private.");
  });

  it("localizes the top-level message of every code, not only validation_failed", () => {
    const notFound: ErrorBody = { error: { code: "not_found", message: "That group was not found.", requestId: "req-2" } };
    expect(localizeErrorBody(notFound, "es")).toEqual({ error: { code: "not_found", message: "No se encontró ese grupo.", requestId: "req-2" } });
    const full: ErrorBody = { error: { code: "conflict", message: "This group is full (12 places). Suggest the waitlist: the person can join it and is offered the next free place." } };
    expect(localizeErrorBody(full, "es-MX").error.message).toBe(
      "Este grupo está completo (12 plazas). Sugiera la lista de espera: la persona puede apuntarse y se le ofrecerá la siguiente plaza libre.",
    );
    expect(localizeErrorBody(full, "en")).toBe(full);
    // A message built around another (catalogued) message translates only when the inner one is known.
    expect(localizeFieldMessage("The roster no longer matches the participants: is required", "es")).toBe("Los grupos pequeños ya no coinciden con los participantes: es un dato obligatorio");
    expect(localizeFieldMessage("The roster no longer matches the participants: Ann is twice. Bob is missing.", "es")).toBe(
      "The roster no longer matches the participants: Ann is twice. Bob is missing.",
    );
  });

  it("returns English bodies unchanged", () => {
    expect(localizeErrorBody(body, "en")).toBe(body);
    const unknown: ErrorBody = { error: { code: "not_found", message: "The moon was not found." } };
    expect(localizeErrorBody(unknown, "es")).toEqual(unknown);
    expect(localizeFieldErrors([{ path: "a.0", message: "is required" }], "es")).toEqual([{ path: "a.0", message: "es un dato obligatorio" }]);
  });
});
