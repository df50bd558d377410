import { TesseraError } from "@tessera/sdk";
import { describe, expect, it } from "vitest";
import { toProblems } from "./problems.ts";

const FIELDS = { username: "Username", email: "Email", password: "Password", full_name: "Full name", gender: "Gender" };

describe("toProblems", () => {
  it("puts each detail beside its field and keeps the summary for the form", () => {
    const error = new TesseraError("Invalid request. Invalid fields: username, email.", {
      code: "INVALID_REQUEST",
      details: [
        { path: "username", message: "Username must be 3–32 characters: letters, digits, _ . or -." },
        { path: "email", message: "Email must be a valid email address." },
      ],
    });
    expect(toProblems(error, FIELDS)).toEqual({
      message: "Invalid request. Invalid fields: Username, Email.",
      fields: {
        username: "Username must be 3–32 characters: letters, digits, _ . or -.",
        email: "Email must be a valid email address.",
      },
    });
  });

  it("does not repeat a summary that is already shown beside its field", () => {
    const message = "Password must contain a digit.";
    const error = new TesseraError(message, { code: "INVALID_PASSWORD", details: [{ path: "password", message }] });
    expect(toProblems(error, FIELDS)).toEqual({ message: null, fields: { password: message } });
  });

  it("sends details about fields the form does not have to the form's message", () => {
    const error = new TesseraError("Invalid request. The cursor is not valid.", {
      code: "INVALID_REQUEST",
      details: [{ path: "cursor", message: "Not a cursor returned by this list." }],
    });
    expect(toProblems(error, FIELDS)).toEqual({
      message: "Invalid request. The cursor is not valid. cursor: Not a cursor returned by this list.",
      fields: {},
    });
  });

  it("names the form's fields by their labels in the API's summaries, and only there", () => {
    const error = new TesseraError("Invalid request. Please provide all required fields: full_name, gender. Invalid fields: email, cursor.", {
      code: "INVALID_REQUEST",
      details: [
        { path: "full_name", message: "This field is required." },
        { path: "gender", message: "This field is required." },
        { path: "email", message: "Email must be a valid email address, not full_name@." },
        { path: "cursor", message: "Not a cursor returned by this list." },
      ],
    });
    const { message, fields } = toProblems(error, FIELDS);
    expect(message).toBe(
      "Invalid request. Please provide all required fields: Full name, Gender. Invalid fields: Email, cursor. cursor: Not a cursor returned by this list.",
    );
    expect(fields.email).toBe("Email must be a valid email address, not full_name@.");
    const one = new TesseraError("The field gender is required.", { code: "GENDER_REQUIRED", details: [{ path: "gender", message: "Choose one." }] });
    expect(toProblems(one, FIELDS).message).toBe("The field Gender is required.");
  });

  it("puts a problem with one element of a list field beside that field", () => {
    const error = new TesseraError("Invalid request. Invalid fields: categories.1.", {
      code: "INVALID_REQUEST",
      details: [{ path: "categories.1", message: "Each category must be 1–50 characters and not blank." }],
    });
    expect(toProblems(error, { name: "Name", categories: "Categories" }).fields).toEqual({ categories: "Each category must be 1–50 characters and not blank." });
  });

  it("places a field's conflict code beside that field", () => {
    const error = new TesseraError("Username already exists.", { code: "USERNAME_EXISTS" });
    expect(toProblems(error, FIELDS)).toEqual({ message: null, fields: { username: "Username already exists." } });
  });

  it("names a declined payment's decline code beside the payment method", () => {
    const error = new TesseraError("Payment declined: Your card was declined.", {
      code: "PAYMENT_DECLINED",
      details: [{ path: "payment_method", message: "Your card was declined.", decline_code: "generic_decline" }],
    });
    expect(toProblems(error, { payment_method: "Payment method" })).toEqual({
      message: "Payment declined: Your card was declined.",
      fields: { payment_method: "Your card was declined. (decline code: generic_decline)" },
    });
  });

  it("places an image upload's refusal beside the file field", () => {
    const error = new TesseraError("The image is larger than 5 MiB.", { code: "IMAGE_TOO_LARGE" });
    expect(toProblems(error, { image: "Image file" })).toEqual({ message: null, fields: { image: "The image is larger than 5 MiB." } });
  });

  it("says the server could not be reached on a network error, and passes other errors' text", () => {
    expect(toProblems(new TesseraError("fetch failed", { code: "NETWORK_ERROR" }), FIELDS).message).toMatch(/could not be reached/);
    expect(toProblems(new Error("boom"), FIELDS)).toEqual({ message: "boom", fields: {} });
  });
});
