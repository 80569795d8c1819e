# Turns the word lists in data/names into C arrays (one NUL-terminated string
# per list), so the library needs no data files at run time.
# Usage: cmake -DDIR=data/names -DOUT=names_data.c -P embed.cmake
file(WRITE ${OUT} "/* Generated from data/names by scripts/embed.cmake: do not edit. */\n")
foreach(name first_names surnames ambiguous stopwords cities)
  file(READ ${DIR}/${name}.txt hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  file(APPEND ${OUT} "const char cordon_data_${name}[] = {${hex}0};\n")
endforeach()
