/** (being written) */
export default function ReceiptPage() {
  return null;
}
