"""A small arithmetic evaluator for the pipeline's operations, so no `eval` ever runs uploaded text.

Grammar (usual precedence, left associative):
    expr   := term (('+' | '-') term)*
    term   := factor (('*' | '/') factor)*
    factor := '-' factor | '+' factor | number | '(' expr ')'
    number := digits ['.' digits] | '.' digits
Arithmetic is exact (fractions); results print as integers when whole, else as decimals.
"""
from fractions import Fraction

MAX_LENGTH = 10_000


class CalculationError(ValueError):
    pass


def calculate(text):
    """Evaluates `text` and returns the result as a string ("2", "0.5", "-3")."""
    return format_number(evaluate(text))


def evaluate(text):
    if len(text) > MAX_LENGTH:
        raise CalculationError("operation is longer than %d characters" % MAX_LENGTH)
    parser = _Parser(_tokens(text))
    value = parser.expr()
    if parser.peek() is not None:
        raise CalculationError("unexpected %s after the end of the expression" % _describe(parser.peek()))
    return value


def format_number(value):
    if value.denominator == 1:
        return str(value.numerator)
    return repr(value.numerator / value.denominator)


def _describe(token):
    return format_number(token) if isinstance(token, Fraction) else repr(token)


def _tokens(text):
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "+-*/()":
            out.append(c)
            i += 1
        elif c.isdigit() or c == ".":
            start = i
            while i < len(text) and (text[i].isdigit() or text[i] == "."):
                i += 1
            literal = text[start:i]
            if literal.count(".") > 1 or literal == ".":
                raise CalculationError("malformed number %r" % literal)
            out.append(Fraction(literal))
        else:
            raise CalculationError("unexpected character %r at position %d" % (c, i))
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.peek()
        if token is None:
            raise CalculationError("the expression ends too early")
        self.pos += 1
        return token

    def expr(self):
        value = self.term()
        while self.peek() in ("+", "-"):
            if self.take() == "+":
                value += self.term()
            else:
                value -= self.term()
        return value

    def term(self):
        value = self.factor()
        while self.peek() in ("*", "/"):
            if self.take() == "*":
                value *= self.factor()
            else:
                divisor = self.factor()
                if divisor == 0:
                    raise CalculationError("division by zero")
                value /= divisor
        return value

    def factor(self):
        # Nesting is bounded so a hostile input cannot exhaust Python's stack.
        self.depth += 1
        if self.depth > 200:
            raise CalculationError("expression nests too deeply")
        try:
            token = self.take()
            if isinstance(token, Fraction):
                return token
            if token == "-":
                return -self.factor()
            if token == "+":
                return self.factor()
            if token == "(":
                value = self.expr()
                if self.take() != ")":
                    raise CalculationError("missing closing parenthesis")
                return value
            raise CalculationError("unexpected %s" % _describe(token))
        finally:
            self.depth -= 1
