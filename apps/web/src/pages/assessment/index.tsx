/** assessment/index: being built (issue 8). */
export default function Page() {
  return null;
}
