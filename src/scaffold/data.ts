/**
 * The scaffold's bundled data: a small shop export with the noise real ones have (an email in
 * upper case with spaces, a customer without an email, a second account sharing an email). Its
 * own module so templates.ts stays readable.
 */

/** data/customers.csv and data/orders.csv. */
export const scaffoldData: Record<string, string> = {
  'data/customers.csv': `customer_id,email,first_name,last_name,updated_at
100,ann.lee@mail.test,Ann,Lee,2025-01-10 10:00:00
101,bob.moss@mail.test,Bob,Moss,2025-02-11 10:00:00
102,cara.nunez@mail.test,Cara,Nunez,2025-03-12 10:00:00
103,,Dan,Ortiz,2025-04-13 10:00:00
104,eve.park@mail.test,Eve,Park,2025-05-14 10:00:00
105,finn.quinn@mail.test,Finn,Quinn,2025-06-15 10:00:00
106,gia.reed@mail.test,Gia,Reed,2025-07-16 10:00:00
107,  HAL.Stone@Mail.test ,Hal,Stone,2025-08-17 10:00:00
108,ivy.tran@mail.test,Ivy,Tran,2025-09-18 10:00:00
109,jon.ueda@mail.test,Jon,Ueda,2025-01-10 10:00:00
110,kim.vega@mail.test,Kim,Vega,2025-02-11 10:00:00
111,lea.west@mail.test,Lea,West,2025-03-12 10:00:00
112,ANN.LEE@mail.test,Ann,Lee,2025-05-20 09:30:00
`,
  'data/orders.csv': `order_id,customer_id,amount,created_at
1,100,20.5,2025-01-20 12:00:00
2,101,57.5,2025-02-20 12:00:00
3,101,110.5,2025-03-21 12:00:00
4,102,94.5,2025-03-20 12:00:00
5,102,147.5,2025-04-21 12:00:00
6,102,20.5,2025-05-22 12:00:00
7,103,131.5,2025-04-20 12:00:00
8,104,168.5,2025-05-20 12:00:00
9,104,41.5,2025-06-21 12:00:00
10,105,25.5,2025-06-20 12:00:00
11,105,78.5,2025-07-21 12:00:00
12,105,131.5,2025-08-22 12:00:00
13,106,62.5,2025-07-20 12:00:00
14,107,99.5,2025-08-20 12:00:00
15,107,152.5,2025-09-21 12:00:00
16,108,136.5,2025-09-20 12:00:00
17,108,189.5,2025-01-21 12:00:00
18,108,62.5,2025-02-22 12:00:00
19,109,173.5,2025-01-20 12:00:00
20,110,30.5,2025-02-20 12:00:00
21,110,83.5,2025-03-21 12:00:00
22,111,67.5,2025-03-20 12:00:00
23,111,120.5,2025-04-21 12:00:00
24,111,173.5,2025-05-22 12:00:00
25,112,104.5,2025-04-20 12:00:00
`,
};
