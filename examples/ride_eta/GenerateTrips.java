import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the ride_eta example's trips.csv: completed ride-hailing trips, seeded so every run writes the
 * same file. Run from the repository root:
 *
 *   java examples/ride_eta/GenerateTrips.java 42 2500 > examples/ride_eta/trips.csv
 *
 * The world it simulates: 12 pickup zones with their own traffic, demand and congestion that follow the
 * time of day (rush hours 7-9 and 16-19, quiet nights), three vehicle kinds, airport trips that are
 * longer. A trip's duration is a pickup overhead plus distance times a pace that depends on the zone,
 * the hour and the vehicle, plus noise, so the recent durations in a zone (the features) tell a model
 * something about the next trip's duration (the label).
 */
public class GenerateTrips {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        int trips = args.length > 1 ? Integer.parseInt(args[1]) : 2500;
        Random random = new Random(seed);
        ZonedDateTime start = ZonedDateTime.of(2024, 3, 4, 0, 0, 0, 0, ZoneOffset.UTC);
        long spanSeconds = 3 * 24 * 3600;

        double[] zoneDemand = new double[12];
        double[] zonePace = new double[12];
        for (int z = 0; z < 12; z++) {
            zoneDemand[z] = 0.5 + random.nextDouble();
            zonePace[z] = 1.6 + random.nextDouble() * 1.4; // minutes per km off-peak
        }
        String[] vehicles = {"standard", "standard", "standard", "xl", "green"};

        List<String[]> rows = new ArrayList<>();
        int made = 0;
        while (made < trips) {
            long offset = (long) (random.nextDouble() * spanSeconds);
            int hour = (int) (offset / 3600 % 24);
            double demand = demandAt(hour);
            int zone = pick(random, zoneDemand);
            if (random.nextDouble() > demand * zoneDemand[zone] / 1.5) {
                continue; // thinning: fewer trips at night and in quiet zones
            }
            boolean airport = random.nextDouble() < 0.07;
            double distance = airport ? 14 + random.nextDouble() * 16 : 0.8 + nextGammaLike(random) * 2.2;
            String vehicle = vehicles[random.nextInt(vehicles.length)];
            double pace = zonePace[zone] * congestion(hour) * (vehicle.equals("xl") ? 1.08 : 1.0);
            double duration = 3.5 + distance * pace + random.nextGaussian() * (1.0 + distance * 0.15);
            duration = Math.max(2.0, duration);
            int dropoff = airport ? 12 : random.nextInt(12);
            int passengers = vehicle.equals("xl") ? 1 + random.nextInt(6) : 1 + random.nextInt(3);
            long completed = start.toEpochSecond() + offset + (long) (duration * 60);
            rows.add(new String[] {
                    Long.toString(completed),
                    "", // trip_id, given in completion order below
                    String.format(Locale.ROOT, "Z%02d", zone + 1),
                    dropoff == 12 ? "AIRPORT" : String.format(Locale.ROOT, "Z%02d", dropoff + 1),
                    String.format(Locale.ROOT, "%.2f", distance),
                    Integer.toString(passengers),
                    vehicle,
                    Boolean.toString(airport),
                    String.format(Locale.ROOT, "%.1f", duration),
                    ISO.format(Instant.ofEpochSecond(completed))});
            made++;
        }
        rows.sort((a, b) -> Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0])));
        StringBuilder out = new StringBuilder("trip_id,zone,dropoff_zone,distance_km,passengers,vehicle,is_airport,duration_min,completed_at\n");
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            row[1] = String.format(Locale.ROOT, "t%05d", i + 1);
            out.append(String.join(",", List.of(row).subList(1, row.length))).append('\n');
        }
        System.out.print(out);
    }

    /** Relative demand by hour of day (UTC is local time in this simulated city). */
    private static double demandAt(int hour) {
        if (hour < 6) {
            return 0.15;
        }
        if (hour >= 7 && hour <= 9 || hour >= 16 && hour <= 19) {
            return 1.0;
        }
        return hour >= 22 ? 0.35 : 0.6;
    }

    private static double congestion(int hour) {
        if (hour >= 7 && hour <= 9 || hour >= 16 && hour <= 19) {
            return 1.55;
        }
        return hour < 6 ? 0.8 : 1.0;
    }

    private static int pick(Random random, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double nextGammaLike(Random random) {
        return -Math.log(1 - random.nextDouble()) + -Math.log(1 - random.nextDouble());
    }
}
