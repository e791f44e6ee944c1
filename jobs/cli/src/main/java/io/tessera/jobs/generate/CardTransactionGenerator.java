package io.tessera.jobs.generate;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Seeded card transactions in the schema of the Sparkov simulator (the example's real sample), with the
 * patterns a fraud model should find: each card has a home city and a spending habit; a compromised card
 * gets a burst of large online or grocery purchases, mostly at night, far from home. The same seed gives
 * the same file, byte for byte.
 */
public final class CardTransactionGenerator {

    static final List<String> COLUMNS = List.of("", "trans_date_trans_time", "cc_num", "merchant", "category", "amt", "first",
            "last", "gender", "street", "city", "state", "zip", "lat", "long", "city_pop", "job", "dob", "trans_num",
            "unix_time", "merch_lat", "merch_long", "is_fraud");

    private static final String[] CATEGORIES = {"gas_transport", "grocery_pos", "home", "shopping_pos", "kids_pets",
            "shopping_net", "entertainment", "food_dining", "personal_care", "health_fitness", "misc_pos", "misc_net",
            "grocery_net", "travel"};
    /** Typical amount per category (median, in dollars), in the order of CATEGORIES. */
    private static final double[] MEDIAN_AMOUNT = {60, 55, 45, 40, 35, 40, 35, 30, 20, 30, 25, 20, 50, 90};
    private static final String[] FRAUD_CATEGORIES = {"shopping_net", "misc_net", "grocery_pos", "shopping_pos"};
    private static final String[] FIRST = {"Jeff", "Joanne", "Ashley", "Brian", "Nathan", "Danielle", "Kayla", "Paula", "David", "Maria"};
    private static final String[] LAST = {"Elliott", "Williams", "Lopez", "Johnson", "Smith", "Garcia", "Brown", "Davis", "Miller", "Moore"};
    private static final String[][] CITIES = {
            {"Columbia", "SC", "29209", "33.9659", "-80.9355", "333497"}, {"Altonah", "UT", "84002", "40.3207", "-110.436", "302"},
            {"Bellmore", "NY", "11710", "40.6729", "-73.5365", "34496"}, {"Titusville", "FL", "32780", "28.5697", "-80.8191", "54767"},
            {"Falmouth", "MI", "49632", "44.2529", "-85.017", "1126"}, {"Houston", "TX", "77002", "29.7589", "-95.3677", "2906700"},
            {"Fresno", "CA", "93721", "36.7377", "-119.7871", "525000"}, {"Omaha", "NE", "68102", "41.2587", "-95.9378", "468262"}};
    private static final String[] JOBS = {"Mechanical engineer", "Sales professional, IT", "Librarian, public", "Set designer",
            "Nurse, adult", "Teacher, primary school", "Surveyor, land", "Accountant, chartered"};
    private static final DateTimeFormatter WALL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final long seed;
    private final int cards;
    private final Instant start;
    private final int days;

    /**
     * @param cards distinct cards; events per card average {@code events / cards}
     * @param days  span of event time from {@code start}
     */
    public CardTransactionGenerator(long seed, int cards, Instant start, int days) {
        this.seed = seed;
        this.cards = cards;
        this.start = start;
        this.days = days;
    }

    /** Writes a header and {@code events} transactions in event-time order; returns how many are fraud. */
    public long write(long events, Writer out) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        List<Card> holders = new ArrayList<>(cards);
        for (int i = 0; i < cards; i++) {
            holders.add(Card.random(random, i));
        }
        long spanSeconds = days * 86_400L;
        long startSeconds = start.getEpochSecond();
        double ratePerCard = (double) events / cards / spanSeconds;
        PriorityQueue<Pending> queue = new PriorityQueue<>();
        for (Card card : holders) {
            queue.add(new Pending(startSeconds + nextGap(random, ratePerCard * card.activity), card));
        }
        CsvSchema.Builder header = CsvSchema.builder();
        COLUMNS.forEach(header::addColumn);
        try (CsvGenerator csv = new CsvMapper().getFactory().createGenerator(out)) {
            csv.setSchema(header.build().withHeader());
            long frauds = 0;
            for (long row = 0; row < events; row++) {
                Pending next = queue.poll();
                Card card = next.card;
                boolean fraud = card.burstLeft > 0;
                if (!fraud && random.nextDouble() < 0.0015) {
                    card.burstLeft = 2 + random.nextInt(7);   // the card is compromised from now on, for a short burst
                    fraud = true;
                }
                if (fraud) {
                    card.burstLeft--;
                    frauds++;
                }
                writeRow(csv, row, next.time, card, fraud, random);
                long gap = fraud && card.burstLeft > 0
                        ? untilNight(next.time) + 60 + random.nextInt(3600)  // bursts: minutes apart, at night
                        : nextGap(random, ratePerCard * card.activity);
                queue.add(new Pending(next.time + gap, card));
            }
            return frauds;
        }
    }

    private void writeRow(CsvGenerator csv, long row, long time, Card card, boolean fraud, SplittableRandom random) throws IOException {
        int category;
        double amount;
        if (fraud) {
            String name = FRAUD_CATEGORIES[random.nextInt(FRAUD_CATEGORIES.length)];
            category = indexOf(name);
            amount = name.endsWith("_net") || name.startsWith("shopping") ? 200 + random.nextDouble() * 1000 : 250 + random.nextDouble() * 120;
        } else {
            category = random.nextDouble() < 0.6 ? card.favourite : random.nextInt(CATEGORIES.length);
            amount = MEDIAN_AMOUNT[category] * Math.exp(0.8 * random.nextGaussian(0, 1)) * card.spendLevel;
        }
        String[] city = CITIES[card.city];
        double merchLat = Double.parseDouble(city[3]) + (fraud ? 5 : 1) * (random.nextDouble() - 0.5);
        double merchLong = Double.parseDouble(city[4]) + (fraud ? 5 : 1) * (random.nextDouble() - 0.5);
        csv.writeStartArray();
        csv.writeNumber(row);
        csv.writeString(WALL_TIME.format(Instant.ofEpochSecond(time)));
        csv.writeString(card.number);
        csv.writeString("fraud_Merchant " + (fraud ? random.nextInt(40) : random.nextInt(800)));
        csv.writeString(CATEGORIES[category]);
        csv.writeString(String.format(Locale.ROOT, "%.2f", amount));
        csv.writeString(card.first);
        csv.writeString(card.last);
        csv.writeString(card.gender);
        csv.writeString(card.street);
        for (int i = 0; i < 6; i++) {
            csv.writeString(city[i]);
        }
        csv.writeString(card.job);
        csv.writeString(card.dob);
        csv.writeString(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
        csv.writeString(Long.toString(time));
        csv.writeString(String.format(Locale.ROOT, "%.6f", merchLat));
        csv.writeString(String.format(Locale.ROOT, "%.6f", merchLong));
        csv.writeString(fraud ? "1" : "0");
        csv.writeEndArray();
    }

    /** Seconds from {@code time} to the next night hour (22:00 to 04:00 UTC), 0 when it is night already. */
    private static long untilNight(long time) {
        long secondOfDay = Math.floorMod(time, 86_400L);
        return secondOfDay >= 22 * 3600 || secondOfDay < 4 * 3600 ? 0 : 22 * 3600 - secondOfDay;
    }

    private static long nextGap(SplittableRandom random, double rate) {
        return 1 + (long) (-Math.log(1 - random.nextDouble()) / rate);
    }

    private static int indexOf(String category) {
        for (int i = 0; i < CATEGORIES.length; i++) {
            if (CATEGORIES[i].equals(category)) {
                return i;
            }
        }
        throw new IllegalArgumentException(category);
    }

    private record Pending(long time, Card card) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : card.number.compareTo(other.card.number);
        }
    }

    private static final class Card {
        final String number;
        final String first;
        final String last;
        final String gender;
        final String street;
        final int city;
        final String job;
        final String dob;
        final int favourite;
        final double spendLevel;
        final double activity;
        int burstLeft;

        private Card(String number, String first, String last, String gender, String street, int city, String job, String dob,
                int favourite, double spendLevel, double activity) {
            this.number = number;
            this.first = first;
            this.last = last;
            this.gender = gender;
            this.street = street;
            this.city = city;
            this.job = job;
            this.dob = dob;
            this.favourite = favourite;
            this.spendLevel = spendLevel;
            this.activity = activity;
        }

        static Card random(SplittableRandom random, int index) {
            String number = Long.toString(4_000_000_000_000_000L + index * 7_919L + random.nextInt(7_919));
            return new Card(number, FIRST[random.nextInt(FIRST.length)], LAST[random.nextInt(LAST.length)],
                    random.nextBoolean() ? "F" : "M", (100 + random.nextInt(9000)) + " Main Street",
                    random.nextInt(CITIES.length), JOBS[random.nextInt(JOBS.length)],
                    String.format(Locale.ROOT, "%d-%02d-%02d", 1940 + random.nextInt(65), 1 + random.nextInt(12), 1 + random.nextInt(28)),
                    random.nextInt(CATEGORIES.length), Math.exp(0.5 * random.nextGaussian(0, 1)), 0.3 + 1.4 * random.nextDouble());
        }
    }
}
