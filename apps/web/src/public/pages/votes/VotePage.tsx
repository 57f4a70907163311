/** (being written) */
export default function VotePage() {
  return null;
}
