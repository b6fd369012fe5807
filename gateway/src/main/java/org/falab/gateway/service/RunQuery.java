package org.falab.gateway.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.registry.Run;

/**
 * A filtered, sorted page of the run table ({@code GET /api/v1/runs?state=..&sort=..&offset=..&limit=..}). Every
 * filter is exact and case-insensitive on the value as the API writes it ({@code fa}, {@code RUNNING}); {@code q}
 * matches a substring of the run id or sweep id. Without a sort the registry's order stands: newest first.
 *
 * @param filters by field name ({@link #FILTERS}); a null or blank value: no filter
 * @param sort    {@code field} or {@code field,asc|desc} ({@link #SORTS}), or null
 */
public record RunQuery(Map<String, String> filters, String q, String sort, int offset, int limit) {

    /** The page of runs and how many matched in all (the table's pager needs it). */
    public record Page(List<Run> runs, int total) {
    }

    /** Filterable fields, by query parameter, and how to read each from a run. */
    public static final Map<String, Function<Run, Object>> FILTERS = Map.of(
            "state", Run::state,
            "method", r -> spec(r, RunSpec::method),
            "optimizer", r -> spec(r, RunSpec::optimizer),
            "norm", r -> spec(r, RunSpec::norm),
            "model", r -> spec(r, RunSpec::model),
            "dataset", r -> spec(r, RunSpec::dataset),
            "sweep", Run::sweepId);

    /** Sortable fields; nulls (a run whose spec or accuracy is not known yet) sort last either way. */
    public static final Map<String, Function<Run, Comparable<?>>> SORTS = Map.of(
            "submitted", Run::firstSeen,
            "updated", Run::updatedAt,
            "state", r -> r.state().name(),
            "method", r -> text(spec(r, RunSpec::method)),
            "optimizer", r -> text(spec(r, RunSpec::optimizer)),
            "norm", r -> text(spec(r, RunSpec::norm)),
            "model", r -> text(spec(r, RunSpec::model)),
            "dataset", r -> text(spec(r, RunSpec::dataset)),
            "progress", RunQuery::fraction,
            "accuracy", r -> r.metrics().testAccuracy());

    public RunQuery {
        Map<String, String> given = new java.util.HashMap<>();
        if (filters != null) {
            filters.forEach((name, value) -> {
                if (value != null && !value.isBlank()) {
                    given.put(name, value);
                }
            });
        }
        filters = Map.copyOf(given);
    }

    /** Applies the query to the runs, given newest first. */
    public Page apply(List<Run> runs) {
        Predicate<Run> match = matcher();
        List<Run> matched = new ArrayList<>();
        for (Run run : runs) {
            if (match.test(run)) {
                matched.add(run);
            }
        }
        Comparator<Run> order = comparator();
        if (order != null) {
            matched.sort(order);  // stable: ties keep newest first
        }
        int from = Math.min(offset, matched.size());
        int to = (int) Math.min((long) from + limit, matched.size());
        return new Page(List.copyOf(matched.subList(from, to)), matched.size());
    }

    private Predicate<Run> matcher() {
        Predicate<Run> match = run -> true;
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            Function<Run, Object> field = FILTERS.get(filter.getKey());
            if (field == null) {
                throw new InvalidRequestException(filter.getKey(), "is not a filter; filters are " + FILTERS.keySet());
            }
            String wanted = filter.getValue().trim();
            match = match.and(run -> wanted.equalsIgnoreCase(text(field.apply(run))));
        }
        if (q != null && !q.isBlank()) {
            String needle = q.trim().toLowerCase(Locale.ROOT);
            match = match.and(run -> run.id().toLowerCase(Locale.ROOT).contains(needle)
                    || (run.sweepId() != null && run.sweepId().toLowerCase(Locale.ROOT).contains(needle)));
        }
        return match;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Comparator<Run> comparator() {
        if (sort == null || sort.isBlank()) {
            return null;
        }
        String[] parts = sort.trim().split(",", -1);
        String direction = parts.length > 1 ? parts[1].trim().toLowerCase(Locale.ROOT) : "asc";
        Function<Run, Comparable<?>> key = SORTS.get(parts[0].trim());
        if (key == null || parts.length > 2 || !(direction.equals("asc") || direction.equals("desc"))) {
            throw new InvalidRequestException("sort", "must be FIELD or FIELD,asc or FIELD,desc with FIELD one of "
                    + SORTS.keySet().stream().sorted().toList());
        }
        Comparator<Comparable> values = direction.equals("desc") ? Comparator.reverseOrder()
                : Comparator.naturalOrder();
        return Comparator.comparing(run -> (Comparable) key.apply(run), Comparator.nullsLast(values));
    }

    private static Object spec(Run run, Function<RunSpec, Object> field) {
        return run.spec() == null ? null : field.apply(run.spec());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** How far a run got, 0 to 1; null before a trainer said how many steps it has. */
    private static Double fraction(Run run) {
        Run.Progress p = run.progress();
        if (p.step() == null || p.totalSteps() == null || p.totalSteps() == 0) {
            return null;
        }
        return (double) p.step() / p.totalSteps();
    }
}
