/** The public survey page (issue 8): being built. */
export default function SurveyPage() {
  return null;
}
