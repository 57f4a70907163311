/** (being written) */
export default function VotesPage() {
  return null;
}
