package meshgate.gateway.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import meshgate.gateway.ledger.LedgerProvider;

/** Reads the settings of a ledger type added by a {@link LedgerProvider} on the class path. */
final class ProvidedLedgers {
    private ProvidedLedgers() {
    }

    /**
     * The {@code ledger:} mapping, allowing the built-in settings and every provider's; a type no provider opens is
     * reported before any of its settings is called unknown.
     */
    static Section section(Section top, Set<String> builtIn) {
        String type = top.peek("ledger", "type").map(t -> t.toLowerCase(java.util.Locale.ROOT)).orElse("");
        if (!type.isEmpty() && !type.equals(LedgerSettings.EMBEDDED) && !type.equals(LedgerSettings.POSTGRESQL)
                && LedgerProvider.of(type).isEmpty()) {
            throw unknownType(top, "ledger.type", type, LedgerProvider.all());
        }
        return top.child("ledger", settingNames(builtIn));
    }

    /** The names allowed under {@code ledger:}: the built-in ones and every provider's. */
    static Set<String> settingNames(Set<String> builtIn) {
        Set<String> names = new HashSet<>(builtIn);
        LedgerProvider.all().forEach(provider -> names.addAll(provider.settings()));
        return Set.copyOf(names);
    }

    /**
     * The settings of {@code type}, checked by its provider; refuses a type no provider opens, and settings that
     * belong to another type.
     */
    static LedgerSettings settings(Section ledger, String type, Path path, Set<String> builtIn) {
        List<LedgerProvider> providers = LedgerProvider.all();
        LedgerProvider provider = providers.stream().filter(p -> p.type().equals(type)).findFirst()
                .orElseThrow(() -> unknownType(ledger, "type", type, providers));
        for (String name : settingNames(builtIn)) {
            if (!name.equals("type") && !provider.settings().contains(name) && ledger.has(name)) {
                throw ledger.fail(name, "does not apply to a ledger of type " + type);
            }
        }
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        for (String name : provider.settings()) {
            if (provider.secrets().contains(name)) {
                ledger.secret(name).ifPresent(secret -> secrets.put(name, secret));
            } else {
                ledger.text(name).ifPresent(value -> plain.put(name, value));
            }
        }
        LedgerSettings settings = new LedgerSettings(type, path, java.util.Optional.empty(), plain, secrets);
        try {
            provider.check(settings.providedWithSecrets());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ledger.name(e.getMessage()));
        }
        return settings;
    }

    private static ConfigException unknownType(Section section, String key, String type,
            List<LedgerProvider> providers) {
        return section.fail(key, "must be one of " + types(providers) + ", got '" + type + "'"
                + (type.equals("dynamodb") ? " (the dynamodb ledger needs meshgate-aws on the class path)" : ""));
    }

    private static String types(List<LedgerProvider> providers) {
        List<String> types = new java.util.ArrayList<>(List.of(LedgerSettings.EMBEDDED, LedgerSettings.POSTGRESQL));
        providers.forEach(provider -> types.add(provider.type()));
        return types.stream().collect(Collectors.joining(", "));
    }
}
