// A method caught in a recompilation loop: pricing() calls through a
// MutableCallSite whose target the driver swaps every round. C2 inlines the
// current target and records a call_site_target_value dependency; each swap
// breaks it, the nmethod is made not entrant, runs interpreted or in C1 until
// C2 compiles it again, and the next swap throws that away too. HotSpot does
// not cap dependency-driven recompilation (FORMATS.md 2.3).
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

public class RecompileLoop {
	static final MutableCallSite RULE =
		new MutableCallSite(MethodType.methodType(long.class, long.class));
	static final MethodHandle APPLY = RULE.dynamicInvoker();

	static long discount(long p) { return p - (p >> 3); }
	static long surcharge(long p) { return p + (p >> 4) + 1; }

	static long pricing(int n) throws Throwable {
		long total = 0;
		for (int i = 0; i < n; i++)
			total += (long) APPLY.invokeExact((long) i);
		return total;
	}

	public static void main(String[] args) throws Throwable {
		long ms = args.length > 0 ? Long.parseLong(args[0]) : 3000;
		// A second argument bounds the work instead (benchmarks): that many rounds.
		long max = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
		MethodHandles.Lookup l = MethodHandles.lookup();
		MethodType t = MethodType.methodType(long.class, long.class);
		MethodHandle[] rules = { l.findStatic(RecompileLoop.class, "discount", t),
					 l.findStatic(RecompileLoop.class, "surcharge", t) };
		long end = System.nanoTime() + ms * 1_000_000L, sum = 0;
		int rounds = 0;
		while (rounds < max && (args.length > 1 || System.nanoTime() < end)) {
			RULE.setTarget(rules[rounds++ & 1]);
			sum += pricing(200_000);
		}
		System.out.println("rounds " + rounds + " sum " + sum);
	}
}
