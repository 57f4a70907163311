/** (being written) */
export default function NoticePage() {
  return null;
}
