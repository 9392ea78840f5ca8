package meshgate.dps.record;

/**
 * The NHS number's check: ten digits, the last a modulus 11 check digit over the first nine weighted 10 down to 2.
 * A remainder giving check digit 10 means the number was never issued.
 */
public final class NhsNumber {
    private NhsNumber() {
    }

    public static boolean isValid(String value) {
        if (value == null || value.length() != 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (value.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == value.charAt(9) - '0';
    }
}
