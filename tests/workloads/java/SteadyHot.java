// A steady hot method: checksum() is monomorphic and type-stable, so it goes
// interpreter -> C1 -> C2 once and stays in C2 for the rest of the run.
public class SteadyHot {
	static long checksum(long seed, int n) {
		long h = seed;
		for (int i = 0; i < n; i++)
			h = (h ^ i) * 0x100000001b3L + (h >>> 29);
		return h;
	}

	public static void main(String[] args) {
		long ms = args.length > 0 ? Long.parseLong(args[0]) : 3000;
		// A second argument bounds the work instead (benchmarks): that many rounds.
		long max = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
		long end = System.nanoTime() + ms * 1_000_000L, h = 1;
		int calls = 0;
		while (calls < max && (args.length > 1 || System.nanoTime() < end)) {
			h = checksum(h, 1_000_000);
			calls++;
		}
		System.out.println("calls " + calls + " h " + h);
	}
}
