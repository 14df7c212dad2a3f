// @ts-check
// A provincial application's client of the khuyencong HTTP service, in JavaScript for Node.js 18+
// (the built-in fetch; no package to install). The JSDoc types let TypeScript check it as is.
//
//   KHUYENCONG_URL=http://127.0.0.1:8000 node client.mjs

const BASE = process.env.KHUYENCONG_URL ?? "http://127.0.0.1:8000";

/**
 * An RFC 9457 problem, as the service answers every error.
 * @typedef {{type: string, title: string, status: number, detail?: string,
 *            problems?: {path: string, message: string}[], parameter?: string,
 *            document?: string}} Problem
 */

/**
 * POST a JSON body to the service and return the JSON answer, or throw the problem.
 * @param {string} path
 * @param {unknown} body
 * @param {string} [lang]
 * @returns {Promise<any>}
 */
async function post(path, body, lang = "vi") {
  const response = await fetch(BASE + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": lang },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) {
    /** @type {Problem} */
    const problem = answer;
    throw Object.assign(new Error(problem.title), { problem });
  }
  return answer;
}

// 1. Is this cooperative a beneficiary today? The answer explains itself in the chosen language.
const cooperative = {
  id: "BN-HTX-01",
  name: "HTX Chế biến vải thiều Lục Ngạn",
  legal_form: "cooperative",
  members: 15,
  location: { map_id: "2025-reform", code: "07582" },
  sectors: ["agro_food_processing"],
};
const eligibility = await post("/v1/eligibility?on=2026-12-07", { establishment: cooperative }, "en");
console.log(`eligible: ${eligibility.result.outcome}`);
console.log(eligibility.text.split("\n")[0]);

// 2. The most it may receive for machinery costing 900 million đồng (money is whole đồng).
const amount = await post("/v1/support-amount?on=2026-12-07", {
  content: "machinery",
  eligible_cost: 900_000_000,
});
console.log(`amount: ${amount.result.amount} (${amount.result.citation.document})`);

// 3. Errors are problems with a type to branch on: bad input lists every $.path ...
try {
  await post("/v1/eligibility", { establishment: { ...cooperative, members: "many" } }, "en");
} catch (error) {
  const problem = /** @type {{problem: Problem}} */ (error).problem;
  console.log(`${problem.status} ${problem.type}: ${problem.problems?.map((p) => p.path).join(", ")}`);
}

// ... and a legal value the server does not hold is the server's gap (501), not the user's.
try {
  await post("/v1/support-amount?on=2026-12-07", {
    content: "machinery",
    eligible_cost: 900_000_000,
    fund: "local",
  });
} catch (error) {
  const problem = /** @type {{problem: Problem}} */ (error).problem;
  console.log(`${problem.status} ${problem.type}: ${problem.parameter}`);
}
