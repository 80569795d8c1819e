# Turns the data files (name lists, the data-store port table) into C arrays,
# one NUL-terminated string per file named cordon_data_<file name>, so the
# library needs no data files at run time.
# Usage: cmake -DDIR=data -DDICTIONARY=/usr/share/dict/american-english -DOUT=data.c -P embed.cmake
# The dictionary's lowercase words (its common words: proper nouns are
# capitalised there) become cordon_data_dictionary, one blank between words.
file(WRITE ${OUT} "/* Generated from data/ by scripts/embed.cmake: do not edit. */\n")
foreach(file names/first_names.txt names/surnames.txt names/ambiguous.txt names/stopwords.txt
        names/cities.txt datastores.txt management.txt)
  get_filename_component(name ${file} NAME_WE)
  file(READ ${DIR}/${file} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  file(APPEND ${OUT} "const char cordon_data_${name}[] = {${hex}0};\n")
endforeach()
file(STRINGS ${DICTIONARY} words REGEX "^[a-z]+$")
list(JOIN words " " all)
file(APPEND ${OUT} "const char cordon_data_dictionary[] =\n\"${all}\";\n")
