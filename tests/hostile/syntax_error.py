# expect: RE
# exit: 1
# stderr-has: SyntaxError
def broken(:
    pass
